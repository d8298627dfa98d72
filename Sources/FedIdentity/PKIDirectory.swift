#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import X509

/// A federation's PKI on disk, one directory of PEM files:
///
/// ```
/// <dir>/ca.pem              the federation CA certificate
/// <dir>/ca-key.pem          its private key (mode 0600)
/// <dir>/<name>.pem          a node's (or the coordinator's) certificate
/// <dir>/<name>-key.pem      its private key (mode 0600)
/// ```
///
/// Every write is atomic: the text goes to a hidden temporary file in the same directory,
/// which is then renamed (or, when nothing may be replaced, hard-linked) into place, so a reader
/// never sees half a file and a failure leaves no temporary file behind. Nothing existing is
/// overwritten unless `force` is given.
public struct PKIDirectory: Sendable {
    /// The directory, as given (relative paths are relative to the working directory).
    public let path: String

    /// A PKI directory at `path` (which need not exist yet).
    public init(path: String) {
        self.path = path
    }

    /// `<dir>/ca.pem`.
    public var caCertificatePath: String { file("ca.pem") }
    /// `<dir>/ca-key.pem`.
    public var caKeyPath: String { file("ca-key.pem") }
    /// `<dir>/<name>.pem`.
    public func certificatePath(for name: String) -> String { file("\(name).pem") }
    /// `<dir>/<name>-key.pem`.
    public func keyPath(for name: String) -> String { file("\(name)-key.pem") }

    /// Whether the directory holds a CA certificate or CA key.
    public var hasCA: Bool { exists(caCertificatePath) || exists(caKeyPath) }

    /// Creates the directory (mode 0700) if needed and a new federation CA in it, writing
    /// `ca-key.pem` (0600) and then `ca.pem` (0644).
    /// - Parameters:
    ///   - federation: the federation's name.
    ///   - force: replace an existing CA (every certificate it issued stops verifying).
    ///   - notValidBefore: the CA's start of validity (default: five minutes ago).
    ///   - notValidAfter: the CA's end of validity (default: ten years after the start).
    /// - Returns: the new CA.
    /// - Throws: `IdentityError` `.alreadyExists` if the directory already holds a CA and
    ///   `force` is false; `.fileSystem` if the directory or files cannot be written; the errors
    ///   of ``FederationCA/create(federation:notValidBefore:notValidAfter:)``.
    @discardableResult
    public func initialize(federation: String = "feddata", force: Bool = false, notValidBefore: Date? = nil, notValidAfter: Date? = nil) throws -> FederationCA {
        if !force {
            for existing in [caCertificatePath, caKeyPath] where exists(existing) {
                throw IdentityError(.alreadyExists, source: existing, "this directory already holds a federation CA; expected none (to replace it, pass force, as in `feddata ca init --force`; every certificate the old CA issued then stops verifying)")
            }
        }
        let ca = try FederationCA.create(federation: federation, notValidBefore: notValidBefore, notValidAfter: notValidAfter)
        try createDirectory()
        try writeFiles([
            (caKeyPath, try PEMCoding.encode(ca.privateKey, source: caKeyPath), 0o600),
            (caCertificatePath, try PEMCoding.encode(ca.certificate), 0o644),
        ], replace: force)
        return ca
    }

    /// Loads the federation CA: `ca.pem` and `ca-key.pem`, checked to belong together.
    /// - Throws: `IdentityError` naming the file: `.missingFile` (with the command that makes
    ///   one), `.notPEM`, `.notACertificate`, `.notAPrivateKey`, `.notACA`, `.keyMismatch`.
    public func loadCA() throws -> FederationCA {
        let hint = "expected a federation CA made by `feddata ca init --dir \(path)`"
        let certificate = try Self.readCertificate(at: caCertificatePath, missing: hint)
        let key = try Self.readPrivateKey(at: caKeyPath, missing: hint)
        do {
            return try FederationCA(certificate: certificate, privateKey: key, source: caCertificatePath)
        } catch var error as IdentityError where error.code == .keyMismatch {
            error.source = caKeyPath
            error.message = "the private key does not match the CA certificate in \(caCertificatePath); expected the key it was made with"
            throw error
        }
    }

    /// Loads only the CA certificate, `ca.pem` (what a node needs to trust the federation).
    /// - Throws: `IdentityError` naming the file: `.missingFile`, `.notPEM`, `.notACertificate`.
    public func loadCACertificate() throws -> Certificate {
        try Self.readCertificate(at: caCertificatePath, missing: "expected a federation CA made by `feddata ca init --dir \(path)`")
    }

    /// Writes a node's key (`<name>-key.pem`, 0600) and certificate (`<name>.pem`, 0644).
    /// - Parameters:
    ///   - issued: the credentials from ``FederationCA/issueNode(name:notValidBefore:notValidAfter:)``
    ///     or ``FederationCA/issueCoordinator(name:dnsNames:ipAddresses:notValidBefore:notValidAfter:)``.
    ///   - force: replace an existing certificate and key of the same name.
    /// - Throws: `IdentityError` `.alreadyExists` (naming the file) if either file exists and
    ///   `force` is false; `.invalidName`; `.fileSystem`.
    public func save(_ issued: IssuedCertificate, force: Bool = false) throws {
        try NodeName.validate(issued.name)
        let certificatePath = certificatePath(for: issued.name), keyPath = keyPath(for: issued.name)
        if !force {
            for existing in [certificatePath, keyPath] where exists(existing) {
                throw IdentityError(.alreadyExists, source: existing, "a certificate for '\(issued.name)' already exists; expected none (to replace it, pass force, as in `feddata ca issue --force`)")
            }
        }
        try createDirectory()
        try writeFiles([
            (keyPath, try issued.privateKeyPEM(), 0o600),
            (certificatePath, try issued.certificatePEM(), 0o644),
        ], replace: force)
    }

    /// Loads a node's certificate, `<name>.pem`.
    /// - Throws: `IdentityError` naming the file: `.missingFile` (with the command that makes
    ///   one), `.notPEM`, `.notACertificate`; `.invalidName`.
    public func loadCertificate(name: String) throws -> Certificate {
        try NodeName.validate(name)
        return try Self.readCertificate(at: certificatePath(for: name), missing: "expected a certificate made by `feddata ca issue --dir \(path) --name \(name)`")
    }

    /// Loads a node's certificate and key, checked to belong together.
    /// - Throws: `IdentityError` naming the file: `.missingFile`, `.notPEM`, `.notACertificate`,
    ///   `.notAPrivateKey`, `.keyMismatch`; `.invalidName`.
    public func loadCredentials(name: String) throws -> IssuedCertificate {
        let certificate = try loadCertificate(name: name)
        let keyPath = keyPath(for: name)
        let key = try Self.readPrivateKey(at: keyPath, missing: "expected the key made with \(certificatePath(for: name)) by `feddata ca issue`")
        guard key.publicKey == certificate.publicKey else {
            throw IdentityError(.keyMismatch, source: keyPath, "the private key does not match the certificate in \(certificatePath(for: name)); expected the key it was issued with")
        }
        return IssuedCertificate(name: name, certificate: certificate, privateKey: key)
    }

    /// The names of the nodes with a certificate here (`<name>.pem` other than `ca.pem` and
    /// key files), sorted.
    /// - Throws: `IdentityError` `.missingFile` or `.fileSystem` if the directory cannot be listed.
    public func nodeNames() throws -> [String] {
        guard exists(path) else {
            throw IdentityError(.missingFile, source: path, "no such directory; expected a PKI directory made by `feddata ca init --dir \(path)`")
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw IdentityError(.fileSystem, source: path, "cannot list the directory", cause: error)
        }
        return entries.compactMap { entry -> String? in
            guard entry.hasSuffix(".pem"), !entry.hasSuffix("-key.pem"), entry != "ca.pem" else { return nil }
            let name = String(entry.dropLast(4))
            return (try? NodeName.validate(name)) == nil ? nil : name
        }.sorted()
    }

    // MARK: - Reading PEM files

    /// Reads the certificate in a PEM file.
    /// - Parameters:
    ///   - path: the file.
    ///   - missing: what to say when the file does not exist (what was expected there).
    /// - Throws: `IdentityError` naming the file: `.missingFile`, `.fileSystem`, `.notPEM`,
    ///   `.notACertificate`.
    public static func readCertificate(at path: String, missing: String = "expected a PEM certificate") throws -> Certificate {
        try PEMCoding.certificate(readText(at: path, missing: missing), source: path)
    }

    /// Reads the private key in a PEM file (PKCS#8, SEC1 or RSA).
    /// - Parameters:
    ///   - path: the file.
    ///   - missing: what to say when the file does not exist (what was expected there).
    /// - Throws: `IdentityError` naming the file: `.missingFile`, `.fileSystem`, `.notPEM`,
    ///   `.notAPrivateKey`.
    public static func readPrivateKey(at path: String, missing: String = "expected a PEM private key") throws -> Certificate.PrivateKey {
        try PEMCoding.privateKey(readText(at: path, missing: missing), source: path)
    }

    static func readText(at path: String, missing: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw IdentityError(.missingFile, source: path, "no such file; \(missing)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IdentityError(.fileSystem, source: path, "cannot read the file (\(String(cString: strerror(errno))))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: - Writing atomically

    private func file(_ name: String) -> String {
        path.hasSuffix("/") ? path + name : path + "/" + name
    }

    private func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private func createDirectory() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw IdentityError(.fileSystem, source: path, "exists but is not a directory; expected a PKI directory (or nothing, to create one)")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw IdentityError(.fileSystem, source: path, "cannot create the directory", cause: error)
        }
    }

    /// Stages every file as a temporary file, then moves each into place. Temporary files are
    /// removed whatever happens; without `replace`, a file already moved into place is removed
    /// again if a later one fails (so no half-written pair is left).
    func writeFiles(_ files: [(path: String, text: String, mode: mode_t)], replace: Bool) throws {
        var staged: [String] = []
        defer { for temp in staged { unlink(temp) } }
        var placed: [String] = []
        do {
            for f in files {
                staged.append(try Self.stage(f.text, beside: f.path, mode: f.mode))
            }
            for (temp, f) in zip(staged, files) {
                try Self.place(temp, at: f.path, replace: replace)
                placed.append(f.path)
            }
        } catch {
            if !replace { for p in placed { unlink(p) } }
            throw error
        }
        Self.syncDirectory(path)
    }

    /// Writes `text` to a new hidden file `.<file>.tmp-<random>` beside `destination`, with
    /// permissions exactly `mode`, flushed to disk; returns its path.
    static func stage(_ text: String, beside destination: String, mode: mode_t) throws -> String {
        let slash = destination.lastIndex(of: "/")
        let directory = slash.map { String(destination[...$0]) } ?? ""
        let base = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        let temp = directory + "." + base + ".tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw posixError(destination, "cannot create a temporary file beside it") }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(temp) }
        }
        guard fchmod(fd, mode) == 0 else { throw posixError(destination, "cannot set permissions on the temporary file") }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw posixError(destination, "cannot write the temporary file")
            }
            written += n
        }
        guard fsync(fd) == 0 else { throw posixError(destination, "cannot flush the temporary file") }
        ok = true
        return temp
    }

    /// Moves a staged file into place: `rename` when replacing, otherwise `link`, which fails
    /// atomically if the destination exists.
    static func place(_ temp: String, at destination: String, replace: Bool) throws {
        if replace {
            guard rename(temp, destination) == 0 else { throw posixError(destination, "cannot move the new file into place") }
            return
        }
        if link(temp, destination) == 0 { return }
        let linkErrno = errno
        if linkErrno == EEXIST {
            throw IdentityError(.alreadyExists, source: destination, "the file appeared while it was being written; expected none (pass force to replace it)")
        }
        // File systems without hard links: check, then rename (not atomic against a racing writer).
        guard linkErrno == EPERM || linkErrno == ENOTSUP || linkErrno == EOPNOTSUPP || linkErrno == EXDEV else {
            errno = linkErrno
            throw posixError(destination, "cannot move the new file into place")
        }
        var info = stat()
        guard lstat(destination, &info) != 0 else {
            throw IdentityError(.alreadyExists, source: destination, "the file appeared while it was being written; expected none (pass force to replace it)")
        }
        guard rename(temp, destination) == 0 else { throw posixError(destination, "cannot move the new file into place") }
    }

    /// Flushes the directory entry changes (best effort).
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    static func posixError(_ source: String, _ what: String) -> IdentityError {
        IdentityError(.fileSystem, source: source, "\(what): \(String(cString: strerror(errno)))")
    }
}
