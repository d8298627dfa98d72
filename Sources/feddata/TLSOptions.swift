import ArgumentParser
import FedIdentity
import FedWorkloads
import Foundation

/// How a coordinator or node proves who it is: `--pki DIR --name NAME` (the files `feddata ca`
/// writes), or `--insecure` for loopback development only.
struct TLSOptions: ParsableArguments {
    @Option(help: "The PKI directory made by `feddata ca` (holds ca.pem, <name>.pem, <name>-key.pem).")
    var pki: String?

    @Option(help: "This party's name: its certificate is <pki>/<name>.pem (coordinator: the name it was issued under).")
    var name: String?

    @Flag(help: "No TLS, no client certificates: for loopback development only (prints a warning).")
    var insecure = false

    /// The PEM texts (certificate, key, CA), checked: the key matches the certificate and the
    /// certificate verifies against the CA now. Nil with `--insecure`.
    func material(config: ConfigFile?, defaultName: String?) throws -> (certificate: String, key: String, ca: String, name: String)? {
        let insecure = try self.insecure || (config?.bool("insecure") ?? false)
        if insecure { return nil }
        guard let dir = try pki ?? config?.string("tls.pki") ?? config?.string("pki") else {
            throw WorkloadError(source: "--pki", "expected the PKI directory made by `feddata ca init` (or --insecure for loopback development)")
        }
        guard let name = try name ?? config?.string("tls.name") ?? config?.string("name") ?? defaultName else {
            throw WorkloadError(source: "--name", "expected the name this party's certificate was issued under (<pki>/<name>.pem)")
        }
        let pki = PKIDirectory(path: dir)
        _ = try pki.loadCACertificate()
        let issued = try pki.loadCredentials(name: name)  // checks the key matches the certificate
        let now = Date()
        guard issued.certificate.notValidBefore <= now, now <= issued.certificate.notValidAfter else {
            throw WorkloadError(source: pki.certificatePath(for: name),
                                "is valid from \(issued.certificate.notValidBefore) to \(issued.certificate.notValidAfter), not now; issue a new one with `feddata ca issue`")
        }
        return (try issued.certificatePEM(), try issued.privateKeyPEM(), try String(contentsOfFile: pki.caCertificatePath, encoding: .utf8), name)
    }
}

/// `host:port`, checked.
func parseEndpoint(_ text: String, option: String) throws -> (host: String, port: Int) {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port),
          colon != text.startIndex else {
        throw WorkloadError(source: option, "expected host:port (e.g. 127.0.0.1:7070), got '\(text)'")
    }
    return (String(text[..<colon]), port)
}

/// Loads `--config FILE` if given.
func loadConfig(_ path: String?) throws -> ConfigFile? {
    try path.map { try ConfigFile.load(from: URL(fileURLWithPath: $0)) }
}
