import Foundation

/// The real public datasets that ship with FedData (see `data/PROVENANCE.md` for sources
/// and licences), located inside the package's resource bundle.
public enum BundledData {
    /// The folder holding the bundled datasets (`mnist/`, `femnist/`, `shakespeare/`, `heart_disease/`).
    public static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("data", isDirectory: true)
    }

    /// The URL of one bundled file, e.g. `file("mnist/t10k-labels-idx1-ubyte.gz")`.
    public static func file(_ relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }
}
