import Foundation

/// Reading whole files into memory, with errors that name the file.
enum FileBytes {
    /// The raw bytes of the file at `url` (no decompression).
    /// - Throws: `DatasetError.Code.unreadableFile` if it does not exist or cannot be read.
    static func read(_ url: URL) throws -> [UInt8] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DatasetError(
                .unreadableFile, source: url.path,
                message: "expected a readable file, found none or an unreadable one", cause: error)
        }
        return [UInt8](data)
    }

    /// The bytes of the file at `url`, gunzipped if they start with the gzip magic `1f 8b`.
    /// - Throws: `DatasetError` for unreadable files and corrupt or truncated gzip streams.
    static func readDecompressing(_ url: URL) throws -> [UInt8] {
        try Gzip.decompressIfNeeded(read(url), source: url.path)
    }
}
