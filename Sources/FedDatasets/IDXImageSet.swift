import Foundation

/// Loads IDX image files plus an IDX label file into a `LabeledDataset` of shape
/// `[rows, cols, 1]` (NHWC, one channel); shared by the MNIST and FEMNIST loaders.
enum IDXImageSet {
    /// How a pixel byte becomes a feature value.
    enum PixelScale {
        /// x / 255: 0 = background, 1 = full ink (MNIST).
        case unit
        /// (255 − x) / 255: for files where 255 is the white background (FEMNIST), so ink is high.
        case invertedUnit
    }

    /// Reads the image parts (concatenated in order) and the labels, and checks that they agree.
    /// - Throws: `DatasetError` from the IDX reader, `.inconsistentData` when image sizes or
    ///   counts disagree, `.invalidValue` for a label ≥ `classCount`.
    static func load(imageFiles: [URL], labelFile: URL, classCount: Int, scale: PixelScale) throws -> LabeledDataset {
        let labelsFile = try IDXReader.readLabels(at: labelFile)
        if let bad = labelsFile.bytes.firstIndex(where: { Int($0) >= classCount }) {
            throw DatasetError(
                .invalidValue, source: labelFile.path, offset: 8 + bad,
                message: "label \(bad): expected a class in 0..<\(classCount), found \(labelsFile.bytes[bad])")
        }
        var parts: [IDXFile] = []
        for url in imageFiles {
            let part = try IDXReader.readImages(at: url)
            if let first = parts.first, first.dimensions.dropFirst() != part.dimensions.dropFirst() {
                throw DatasetError(
                    .inconsistentData, source: url.path,
                    message: "expected images of \(first.dimensions[1])×\(first.dimensions[2]) like \(imageFiles[0].lastPathComponent), found \(part.dimensions[1])×\(part.dimensions[2])")
            }
            parts.append(part)
        }
        let imageSize = parts.first.map { Array($0.dimensions.dropFirst()) }
        let total = parts.reduce(0) { $0 + $1.bytes.count }
        let size = imageSize ?? [0, 0]
        let imageCount = parts.reduce(0) { $0 + $1.itemCount }
        guard imageCount == labelsFile.itemCount else {
            throw DatasetError(
                .inconsistentData, source: labelFile.path,
                message: "expected one label per image (\(imageCount) images in \(imageFiles.count) file(s)), found \(labelsFile.itemCount) labels")
        }
        let features = convert(parts, total: total, scale: scale)
        return LabeledDataset(
            features: features, featureShape: size + [1],
            labels: labelsFile.bytes.map { Int32($0) }, classCount: classCount)
    }

    /// All parts' pixel bytes as `Float` features, through a 256-entry lookup table and raw
    /// pointers (no per-element bounds checks or generic calls, which matters in debug builds).
    private static func convert(_ parts: [IDXFile], total: Int, scale: PixelScale) -> [Float] {
        var table = [Float](repeating: 0, count: 256)
        for v in 0..<256 { table[v] = scale == .unit ? Float(v) / 255 : Float(255 - v) / 255 }
        return [Float](unsafeUninitializedCapacity: total) { buffer, initialized in
            var out = buffer.baseAddress!
            table.withUnsafeBufferPointer { lutBuffer in
                let lut = lutBuffer.baseAddress!
                for part in parts {
                    part.bytes.withUnsafeBufferPointer { srcBuffer in
                        guard var src = srcBuffer.baseAddress else { return }
                        let end = src + srcBuffer.count
                        while src < end {
                            out.initialize(to: lut[Int(src.pointee)])
                            out += 1
                            src += 1
                        }
                    }
                }
            }
            initialized = total
        }
    }
}
