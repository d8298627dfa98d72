import Foundation

/// Writes a file so that readers see the old content or the whole new one, never half of it.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
