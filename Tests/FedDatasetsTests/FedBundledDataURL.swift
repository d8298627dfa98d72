import Foundation
import FedBundledData

/// The bundled datasets (test-only access; `FedDatasets` itself takes URLs).
enum FedBundledDataURL {
    static func file(_ path: String) -> URL { BundledData.file(path) }
    static func directory(_ name: String) -> URL { BundledData.file(name) }
}
