import ArgumentParser
import FedIdentity
import FedWorkloads
import Foundation

/// `feddata ca init|issue|show`: the federation's certificate authority. A node's identity is
/// its certificate (CN and URI `urn:feddata:node:<name>`), issued here and checked by mutual TLS.
struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "Create the federation CA and issue node certificates (P-256, for mutual TLS).",
        discussion: """
            Files in the PKI directory: ca.pem and ca-key.pem (the CA), <name>.pem and <name>-key.pem \
            (a node or the coordinator). Keys are written with mode 0600; nothing is overwritten without --force.
            """,
        subcommands: [Init.self, Issue.self, Show.self]
    )

    /// Options every `ca` subcommand takes.
    struct Options: ParsableArguments {
        @Option(help: "The PKI directory (ca.pem, ca-key.pem, <name>.pem, <name>-key.pem).")
        var dir: String = "./pki"

        @Flag(help: "Print JSON Lines.")
        var json = false
    }

    /// `feddata ca init --dir DIR [--federation NAME] [--years N] [--force]`.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a federation CA (self-signed P-256 certificate and key) in a PKI directory."
        )

        @OptionGroup var options: Options

        @Option(help: "The federation's name (the CA is 'O=<name>, CN=<name> CA').")
        var federation: String = "feddata"

        @Option(help: "Years the CA certificate is valid.")
        var years: Int = FederationCA.defaultValidityYears

        @Flag(help: "Replace an existing CA (every certificate it issued stops verifying).")
        var force = false

        func validate() throws {
            guard years >= 1 else { throw ValidationError("--years must be at least 1, got \(years)") }
            do { try NodeName.validateFederation(federation) } catch let error as IdentityError {
                throw ValidationError("--federation: \(error.message)")
            }
        }

        func run() throws {
            let pki = PKIDirectory(path: options.dir)
            let replaced = force && pki.hasCA
            let orphans = replaced ? ((try? pki.nodeNames()) ?? []) : []
            let start = Date().addingTimeInterval(-FederationCA.clockSkewAllowance)
            let end = Calendar(identifier: .gregorian).date(byAdding: .year, value: years, to: start)!
            let ca = try pki.initialize(federation: federation, force: force, notValidBefore: start, notValidAfter: end)
            let summary = try CertificateSummary(ca.certificate)
            if options.json {
                emit(JSONLine(["action": .string("init"), "federation": .string(ca.federation),
                               "certificate": .string(pki.caCertificatePath), "key": .string(pki.caKeyPath),
                               "subject": .string(summary.subject), "not_before": .string(stamp(summary.notValidBefore)),
                               "not_after": .string(stamp(summary.notValidAfter)), "fingerprint": .string(summary.fingerprint),
                               "replaced": .bool(replaced)]))
            } else {
                print("\(replaced ? "replaced" : "created") federation CA '\(ca.federation)' in \(pki.path)")
                print("wrote \(pki.caKeyPath) (private key, mode 0600)")
                print("wrote \(pki.caCertificatePath) (\(summary.subject), valid until \(stamp(summary.notValidAfter)))")
                print("sha256 \(summary.fingerprint)")
            }
            if !orphans.isEmpty {
                note("warning: \(orphans.count) certificate(s) in \(pki.path) were issued by the replaced CA and no longer verify (\(orphans.joined(separator: ", "))); reissue them with `feddata ca issue --force`")
            }
        }
    }

    /// `feddata ca issue --dir DIR --name NAME [--coordinator [--dns H]... [--ip A]...] [--days N] [--force]`.
    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "Issue a node certificate (or, with --coordinator, the coordinator's) signed by the federation CA."
        )

        @OptionGroup var options: Options

        @Option(help: "The node's name: 1–64 of A–Z a–z 0–9 . _ -, not starting with . or - (default with --coordinator: coordinator).")
        var name: String?

        @Flag(help: "Issue the coordinator's certificate, which also names the DNS names and IP addresses nodes dial.")
        var coordinator = false

        @Option(help: "With --coordinator: a DNS name for the coordinator (repeatable; default localhost).")
        var dns: [String] = []

        @Option(help: "With --coordinator: an IP address for the coordinator (repeatable; default 127.0.0.1).")
        var ip: [String] = []

        @Option(help: "Days the certificate is valid (never past the CA's own end).")
        var days: Int = FederationCA.defaultLeafValidityDays

        @Flag(help: "Replace an existing certificate and key of the same name.")
        var force = false

        var nodeName: String { name ?? "coordinator" }

        func validate() throws {
            guard name != nil || coordinator else { throw ValidationError("--name is required (or pass --coordinator)") }
            guard coordinator || (dns.isEmpty && ip.isEmpty) else {
                throw ValidationError("--dns and --ip name the coordinator's addresses; pass them with --coordinator")
            }
            guard days >= 1 else { throw ValidationError("--days must be at least 1, got \(days)") }
            do { try NodeName.validate(nodeName, source: "--name") } catch let error as IdentityError {
                throw ValidationError("--name: \(error.message)")
            }
        }

        func run() throws {
            let pki = PKIDirectory(path: options.dir)
            let ca = try pki.loadCA()
            let start = Date().addingTimeInterval(-FederationCA.clockSkewAllowance)
            let end = start.addingTimeInterval(TimeInterval(days) * 86_400)
            let issued = coordinator
                ? try ca.issueCoordinator(name: nodeName, dnsNames: dns.isEmpty ? ["localhost"] : dns,
                                          ipAddresses: ip.isEmpty ? ["127.0.0.1"] : ip, notValidBefore: start, notValidAfter: end)
                : try ca.issueNode(name: nodeName, notValidBefore: start, notValidAfter: end)
            try pki.save(issued, force: force)
            let summary = try CertificateSummary(issued.certificate)
            let certificatePath = pki.certificatePath(for: nodeName), keyPath = pki.keyPath(for: nodeName)
            if options.json {
                emit(JSONLine(["action": .string("issue"), "name": .string(nodeName), "coordinator": .bool(coordinator),
                               "certificate": .string(certificatePath), "key": .string(keyPath),
                               "subject": .string(summary.subject), "sans": .array(summary.subjectAlternativeNames.map { .string($0) }),
                               "not_before": .string(stamp(summary.notValidBefore)), "not_after": .string(stamp(summary.notValidAfter)),
                               "fingerprint": .string(summary.fingerprint)]))
            } else {
                print("issued \(coordinator ? "coordinator" : "node") certificate '\(nodeName)' signed by '\(summary.issuer)'")
                print("wrote \(keyPath) (private key, mode 0600)")
                print("wrote \(certificatePath) (\(summary.subject), valid until \(stamp(summary.notValidAfter)))")
                print("SANs \(summary.subjectAlternativeNames.joined(separator: ", "))")
                print("sha256 \(summary.fingerprint)")
            }
            if summary.notValidAfter < end.addingTimeInterval(-1) {
                note("note: the validity was cut back to the CA's end, \(stamp(summary.notValidAfter))")
            }
        }
    }

    /// `feddata ca show --dir DIR [--name NAME]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the CA and node certificates (subject, SANs, validity, fingerprint) and whether each verifies.",
            discussion: "Exits with status 1 if a node certificate does not verify against the CA, or the CA is out of date."
        )

        @OptionGroup var options: Options

        @Option(help: "Show only this node's certificate (default: the CA and every node).")
        var name: String?

        func validate() throws {
            if let name {
                do { try NodeName.validate(name, source: "--name") } catch let error as IdentityError {
                    throw ValidationError("--name: \(error.message)")
                }
            }
        }

        func run() throws {
            let pki = PKIDirectory(path: options.dir)
            let ca = try pki.loadCA()
            let now = Date()
            var allVerify = true
            if name == nil {
                let problem = Self.problem { try ca.checkValidity(at: now) }
                allVerify = allVerify && problem == nil
                report(path: pki.caCertificatePath, summary: try CertificateSummary(ca.certificate), identity: nil, problem: problem)
            }
            let nodes = try name.map { [$0] } ?? pki.nodeNames()
            for node in nodes {
                let path = pki.certificatePath(for: node)
                let certificate = try pki.loadCertificate(name: node)
                var identity: NodeIdentity?
                let problem = Self.problem { identity = try ca.verify(certificate, at: now, source: path) }
                allVerify = allVerify && problem == nil
                report(path: path, summary: try CertificateSummary(certificate), identity: identity, problem: problem)
            }
            if !allVerify { throw ExitCode(1) }
        }

        /// The message of the `IdentityError` that `body` throws, or nil if it succeeds.
        static func problem(_ body: () throws -> Void) -> String? {
            do {
                try body()
                return nil
            } catch let error as IdentityError {
                return "\(error.code): \(error.message)"
            } catch {
                return "\(error)"
            }
        }

        func report(path: String, summary s: CertificateSummary, identity: NodeIdentity?, problem: String?) {
            let isCA = s.isCA
            if options.json {
                var line = JSONLine(["file": .string(path), "ca": .bool(isCA), "subject": .string(s.subject), "issuer": .string(s.issuer),
                                     "sans": .array(s.subjectAlternativeNames.map { .string($0) }),
                                     "not_before": .string(stamp(s.notValidBefore)), "not_after": .string(stamp(s.notValidAfter)),
                                     "serial": .string(s.serialNumber), "fingerprint": .string(s.fingerprint),
                                     "verifies": .bool(problem == nil)])
                if let identity { line["node"] = .string(identity.name) }
                if let problem { line["error"] = .string(problem) }
                emit(line)
            } else {
                print(path)
                print("  subject  \(s.subject)\(isCA ? " (CA)" : "")")
                print("  issuer   \(s.issuer)")
                if !s.subjectAlternativeNames.isEmpty { print("  SANs     \(s.subjectAlternativeNames.joined(separator: ", "))") }
                print("  valid    \(stamp(s.notValidBefore)) to \(stamp(s.notValidAfter))")
                print("  serial   \(s.serialNumber)")
                print("  sha256   \(s.fingerprint)")
                if isCA {
                    print("  status   \(problem.map { "NOT VALID: \($0)" } ?? "self-signed CA, valid now")")
                } else {
                    print("  verifies \(problem.map { "NO: \($0)" } ?? "yes, node '\(identity?.name ?? "")'")")
                }
            }
        }
    }
}

/// A date as ISO 8601 in UTC.
private func stamp(_ date: Date) -> String { date.formatted(.iso8601) }
