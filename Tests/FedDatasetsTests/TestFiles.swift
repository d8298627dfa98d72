import Foundation
import FedBundledData

/// Temporary files for bad-input tests, and bundled-data paths.
enum TestFiles {
    /// Writes `bytes` to a new file named `name` in a fresh temporary folder and returns its URL.
    static func write(_ bytes: [UInt8], name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("FedDatasetsTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Writes UTF-8 `text` to a temporary file.
    static func write(_ text: String, name: String) throws -> URL {
        try write(Array(text.utf8), name: name)
    }

    /// The raw bytes of a bundled file, e.g. `"mnist/t10k-labels-idx1-ubyte.gz"`.
    static func bundled(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: BundledData.file(path)))
    }

    /// A big-endian 32-bit word.
    static func word(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }
}
