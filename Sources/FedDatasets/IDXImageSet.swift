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
        guard !imageFiles.isEmpty else {
            throw DatasetError(.invalidParameter, source: "imageFiles", message: "expected at least one IDX image file, found none")
        }
        let labelsFile = try IDXReader.readLabels(at: labelFile)
        if let bad = labelsFile.bytes.firstIndex(where: { Int($0) >= classCount }) {
            throw DatasetError(
                .invalidValue, source: labelFile.path, offset: 8 + bad,
                message: "label \(bad): expected a class in 0..<\(classCount), found \(labelsFile.bytes[bad])")
        }
        // Decompress and parse the parts in parallel (each part is independent), then check them.
        let parts = try readAll(imageFiles)
        for (url, part) in zip(imageFiles, parts) where part.dimensions.dropFirst() != parts[0].dimensions.dropFirst() {
            throw DatasetError(
                .inconsistentData, source: url.path,
                message: "expected images of \(parts[0].dimensions[1])×\(parts[0].dimensions[2]) like \(imageFiles[0].lastPathComponent), found \(part.dimensions[1])×\(part.dimensions[2])")
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

    /// Reads the IDX image files concurrently; the first error (in file order) is thrown.
    private static func readAll(_ urls: [URL]) throws -> [IDXFile] {
        var results = [Result<IDXFile, DatasetError>?](repeating: nil, count: urls.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = Disjoint(buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: urls.count) { i in
                slots.pointer[i] = Result { () throws(DatasetError) in try readImages(urls[i]) }
            }
        }
        return try results.map { try $0!.get() }
    }

    private static func readImages(_ url: URL) throws(DatasetError) -> IDXFile {
        do { return try IDXReader.readImages(at: url) } catch let error as DatasetError { throw error } catch {
            throw DatasetError(.unreadableFile, source: url.path, message: "expected a readable IDX file", cause: error)
        }
    }

    /// All parts' pixel bytes as `Float` features, through a 256-entry lookup table and raw
    /// pointers (no per-element bounds checks or generic calls, which matters in debug
    /// builds); parts are converted concurrently into disjoint ranges of the result.
    private static func convert(_ parts: [IDXFile], total: Int, scale: PixelScale) -> [Float] {
        var table = [Float](repeating: 0, count: 256)
        for v in 0..<256 { table[v] = scale == .unit ? Float(v) / 255 : Float(255 - v) / 255 }
        var starts: [Int] = []
        var offset = 0
        for part in parts {
            starts.append(offset)
            offset += part.bytes.count
        }
        let partStarts = starts
        guard total > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: total) { buffer, initialized in
            let output = Disjoint(buffer.baseAddress!)
            table.withUnsafeBufferPointer { lutBuffer in
                let lut = Disjoint(UnsafeMutablePointer(mutating: lutBuffer.baseAddress!))  // read only
                DispatchQueue.concurrentPerform(iterations: parts.count) { p in
                    var out = output.pointer + partStarts[p]
                    parts[p].bytes.withUnsafeBufferPointer { srcBuffer in
                        guard var src = srcBuffer.baseAddress else { return }
                        let end = src + srcBuffer.count
                        while src < end {
                            out.initialize(to: lut.pointer[Int(src.pointee)])
                            out += 1
                            src += 1
                        }
                    }
                }
            }
            initialized = total
        }
    }

    /// A pointer shared with concurrent iterations that each touch a disjoint part of the
    /// memory it points to (or only read it); that discipline is what makes it safe to send.
    private struct Disjoint<T>: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<T>
        init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
    }
}
