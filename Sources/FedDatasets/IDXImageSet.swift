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
        var table = [Float](repeating: 0, count: 256)
        for v in 0..<256 { table[v] = scale == .unit ? Float(v) / 255 : Float(255 - v) / 255 }

        var features: [Float] = []
        var imageSize: [Int]? = nil
        for url in imageFiles {
            let part = try IDXReader.readImages(at: url)
            let size = Array(part.dimensions.dropFirst())
            if let expected = imageSize, expected != size {
                throw DatasetError(
                    .inconsistentData, source: url.path,
                    message: "expected images of \(expected[0])×\(expected[1]) like \(imageFiles[0].lastPathComponent), found \(size[0])×\(size[1])")
            }
            imageSize = size
            if features.isEmpty { features.reserveCapacity(labelsFile.itemCount * part.itemSize) }
            // One table lookup per byte, through raw pointers (no per-element bounds checks).
            let start = features.count
            features.append(contentsOf: repeatElement(0, count: part.bytes.count))
            table.withUnsafeBufferPointer { lut in
                part.bytes.withUnsafeBufferPointer { src in
                    features.withUnsafeMutableBufferPointer { dst in
                        let out = dst.baseAddress! + start
                        for i in 0..<src.count { out[i] = lut[Int(src[i])] }
                    }
                }
            }
        }
        let size = imageSize ?? [0, 0]
        let imageCount = features.count / max(1, size.reduce(1, *))
        guard imageCount == labelsFile.itemCount else {
            throw DatasetError(
                .inconsistentData, source: labelFile.path,
                message: "expected one label per image (\(imageCount) images in \(imageFiles.count) file(s)), found \(labelsFile.itemCount) labels")
        }
        return LabeledDataset(
            features: features, featureShape: size + [1],
            labels: labelsFile.bytes.map { Int32($0) }, classCount: classCount)
    }
}
