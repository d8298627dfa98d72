import ArgumentParser
import FedFusion
import FedLedger
import FedSecureAggregation
import FedSimulation
import FedTensor
import FedWorkloads
import Foundation

/// `feddata bench gemm|train|fusion|network|secagg|ledger`: speed measurements, optionally beside
/// NumPy in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure GEMM GFLOP/s, training samples/s, fusion and simulation throughput, SecAgg+ overhead or ledger speed (use a release build)."
    )

    enum Suite: String, ExpressibleByArgument, CaseIterable {
        case gemm, train, fusion, network, secagg, ledger
    }

    @Argument(help: "What to measure: gemm, train, fusion, network, secagg or ledger.")
    var suite: Suite

    @Option(help: "With secagg: comma-separated benchmarks secagg-<nodes>x<parameters> (default: secagg-100x100000,secagg-100x1000000).")
    var names: String?

    @Option(help: "With ledger: entries in the log (default 1000000).")
    var entries: Int?

    @Option(help: "Threads for GEMM (default: all cores, or FEDDATA_THREADS).")
    var threads: Int?

    @Option(help: "Seconds of timing per benchmark.")
    var seconds: Double = 2

    @Flag(help: "Also run scripts/bench_numpy.py (NumPy, OpenBLAS variables unset), alternating with FedData, and report the ratio.")
    var numpy = false

    @Flag(help: "Print JSON Lines.")
    var json = false

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1, got \(t)") }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive, got \(seconds)") }
        if names != nil && suite != .secagg { throw ValidationError("--names applies to `bench secagg` only") }
        if entries != nil && suite != .ledger { throw ValidationError("--entries applies to `bench ledger` only") }
        if let e = entries, e < 1 { throw ValidationError("--entries must be at least 1, got \(e)") }
        for name in secaggNames where SecureAggregationBenchmark.parse(name: name) == nil {
            throw ValidationError("--names: \"\(name)\" is not secagg-<nodes>x<parameters> with nodes ≥ 2 and parameters ≥ 1, e.g. secagg-100x100000")
        }
    }

    /// The secagg benchmarks to run: `--names`, or the standard pair.
    var secaggNames: [String] {
        guard let names else { return SecureAggregationBenchmark.standardNames }
        return names.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Option(help: "With --numpy: alternate NumPy and FedData this many times per benchmark and keep each one's best.")
    var rounds: Int = 3

    func run() async throws {
        #if DEBUG
        note("warning: this is a debug build; use `swift run -c release feddata bench …` for real numbers")
        #endif
        switch suite {
        case .gemm:
            if !json { note("GEMM micro-kernel: \(GEMM.Kernel.best), threads: \(threads ?? GEMM.threadCount)") }
            for shape in GEMMBenchmark.standardShapes {
                var best: GEMMBenchmarkResult?
                var reference: Double?
                for _ in 0..<(numpy ? max(1, rounds) : 1) {
                    if numpy { reference = max(reference ?? 0, try NumPyReference.run(suite: "gemm", name: shape.name, seconds: seconds)) }
                    let r = GEMMBenchmark.measure(shape, threads: threads, minSeconds: seconds)
                    if best == nil || r.gflops > best!.gflops { best = r }
                }
                let r = best!
                var line = JSONLine(["name": .string(r.name), "gflops": .number(round1(r.gflops)),
                                     "seconds": .number(r.seconds), "threads": .integer(r.threads), "kernel": .string(r.kernel.rawValue)])
                report(&line, reference: reference, key: "gflops", value: r.gflops)
            }
        case .train:
            let data = try DatasetCatalog.load("mnist")
            for model in ["2nn", "cnn"] {
                var best: TrainingBenchmarkResult?
                var reference: Double?
                let hasReference = numpy && model == "2nn"
                for _ in 0..<(hasReference ? max(1, rounds) : 1) {
                    if hasReference { reference = max(reference ?? 0, try NumPyReference.run(suite: "train", name: nil, seconds: seconds)) }
                    let r = try GEMM.withThreadCount(threads ?? GEMM.threadCount) {
                        try TrainingBenchmark.measure(modelName: model, data: data.train, batchSize: 32, minSeconds: seconds)
                    }
                    if best == nil || r.samplesPerSecond > best!.samplesPerSecond { best = r }
                }
                let r = best!
                var line = JSONLine(["name": .string(r.name), "samples_per_s": .number(r.samplesPerSecond.rounded()),
                                     "seconds_per_step": .number(r.secondsPerStep), "steps": .integer(r.steps)])
                report(&line, reference: reference, key: "samples_per_s", value: r.samplesPerSecond)
            }
        case .fusion:
            let f = FusionBenchmark.measureWeightedMean(updateCount: 100, parameterCount: 1_000_000, minSeconds: seconds)
            var line = JSONLine(["name": .string("fusion-100x1000000"), "gb_per_s": .number(round1(f.gigabytesPerSecond)),
                                 "seconds": .number(f.seconds), "read_ceiling_gb_per_s": .number(round1(f.readCeilingGigabytesPerSecond))])
            report(&line, reference: nil, key: "gb_per_s", value: f.gigabytesPerSecond)
            let bandwidth = MemoryBandwidth.measureSum(minSeconds: seconds)
            var membw = JSONLine(["name": .string("membw"), "gb_per_s": .number(round1(bandwidth)), "threads": .integer(1)])
            report(&membw, reference: nil, key: "gb_per_s", value: bandwidth)
            let data = try DatasetCatalog.load("mnist")
            let sim = try await SimulationBenchmark.run(train: data.train, rounds: max(5, Int(seconds * 5)))
            var simLine = JSONLine(["name": .string(sim.name), "rounds_per_s": .number((sim.roundsPerSecond * 100).rounded() / 100),
                                    "rounds": .integer(sim.rounds), "seconds": .number(sim.seconds), "concurrency": .integer(sim.concurrency)])
            report(&simLine, reference: nil, key: "rounds_per_s", value: sim.roundsPerSecond)
        case .network:
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            let r = try await NetworkBenchmark.rounds(rounds: max(4, Int(seconds * 3)), executable: executable)
            var line = JSONLine(["name": .string("network-10x2nn"), "seconds_per_round": .number(r.secondsPerRound),
                                 "overhead_ratio": .number((r.overheadRatio * 1000).rounded() / 1000),
                                 "slowest_node_seconds": .number(r.slowestNodeSeconds), "rounds": .integer(r.rounds),
                                 "nodes": .integer(10), "transport": .string("gRPC, mutual TLS, loopback, node processes")])
            report(&line, reference: nil, key: "overhead_ratio", value: r.overheadRatio)
            let t = try await NetworkBenchmark.transfer()
            var transfer = JSONLine(["name": .string("transfer-100mb"), "mb_per_s": .number(t.mbPerSecond.rounded()),
                                     "download_mb_per_s": .number((t.megabytes / t.downloadSeconds).rounded()),
                                     "upload_mb_per_s": .number((t.megabytes / t.uploadSeconds).rounded()),
                                     "seconds": .number(t.downloadSeconds + t.uploadSeconds)])
            report(&transfer, reference: nil, key: "mb_per_s", value: t.mbPerSecond)
        case .secagg:
            // One run per benchmark: SecAgg+ (clients concurrent per stage, server on one core)
            // against the same nodes' float32 vectors streamed into a sum.
            for name in secaggNames {
                let r = try await SecureAggregationBenchmark.run(named: name)
                var line = JSONLine([
                    "name": .string(r.name), "time_ratio": .number(round3(r.timeRatio)), "bytes_ratio": .number((r.bytesRatio * 10_000).rounded() / 10_000),
                    "seconds": .number(r.secureSeconds), "plain_seconds": .number(r.plainSeconds),
                    "server_seconds": .number(r.serverSeconds), "client_seconds_mean": .number(r.clientSecondsMean),
                    "client_seconds_max": .number(r.clientSecondsMax), "client_seconds_total": .number(r.clientSecondsTotal),
                    "critical_path_seconds": .number(r.criticalPathSeconds), "cores": .integer(ProcessInfo.processInfo.activeProcessorCount),
                    "nodes": .integer(r.nodeCount), "parameters": .integer(r.parameterCount), "degree": .integer(r.degree),
                    "threshold": .integer(r.threshold), "dropouts": .integer(r.dropouts),
                    "secure_bytes": .integer(r.secureBytes), "plain_bytes": .integer(r.plainBytes),
                    "max_error": .number(r.maxAbsoluteError), "error_bound": .number(r.errorBound),
                ])
                report(&line, reference: nil, key: "time_ratio", value: r.timeRatio)
                if !json { print("  \(r)") }
            }
        case .ledger:
            let r = try LedgerBenchmark.run(entryCount: entries ?? 1_000_000)
            var line = JSONLine([
                "name": .string(r.name), "appends_per_s": .number(r.appendsPerSecond.rounded()),
                "proofs_per_s": .number(r.proofsPerSecond.rounded()), "verifications_per_s": .number(r.verificationsPerSecond.rounded()),
                "bytes_per_round": .integer(r.bytesPerRound), "round_entry_bytes": .integer(r.roundEntryBytes),
                "checkpoint_bytes": .integer(r.checkpointBytes), "participants_per_round": .integer(r.participantsPerRound),
                "entries": .integer(r.entryCount),
            ])
            report(&line, reference: nil, key: "appends_per_s", value: r.appendsPerSecond)
            if !json {
                print(String(format: "%-24@ %10.0f proofs_per_s", r.name, r.proofsPerSecond))
                print(String(format: "%-24@ %10.0f verifications_per_s", r.name, r.verificationsPerSecond))
                print(String(format: "%-24@ %10d bytes_per_round", r.name, r.bytesPerRound))
            }
        }
        if json { emit(JSONLine(["name": .string("process"), "peak_rss_mb": .number(peakResidentMegabytes().rounded())])) }
    }

    func round1(_ x: Double) -> Double { (x * 10).rounded() / 10 }

    func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    func report(_ line: inout JSONLine, reference: Double?, key: String, value: Double) {
        if let ref = reference {
            line["numpy_\(key)"] = .number(ref)
            line["ratio_to_numpy"] = .number((value / ref * 1000).rounded() / 1000)
        }
        if json {
            emit(line)
        } else {
            let name = if case .string(let s)? = line["name"] { s } else { "?" }
            let extra = reference.map { String(format: "   numpy %.1f   ratio %.2f", $0, value / $0) } ?? ""
            print(String(format: "%-24@ %10.1f %@%@", name, value, key, extra))
        }
    }
}

/// Runs the NumPy reference script beside the Swift benchmark and reads its JSON lines.
enum NumPyReference {
    /// The script, found next to this source file's package.
    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/bench_numpy.py")
    }

    /// Runs one NumPy benchmark (`name`, or the whole family when nil) and returns its figure
    /// (`gflops` or `samples_per_s`; the best when the family yields several lines).
    static func run(suite: String, name: String?, seconds: Double) throws -> Double {
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw WorkloadError(source: "--numpy", "needs \(script.path) (run from a checkout of FedData)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["-u", "OPENBLAS_CORETYPE", "-u", "OPENBLAS_L2_SIZE", "python3", script.path,
                             "--only", suite, "--seconds", String(seconds)] + (name.map { ["--shapes", $0] } ?? [])
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw WorkloadError(source: script.path, "exited with status \(process.terminationStatus); expected 0 (is numpy installed?)")
        }
        var best = 0.0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            if let g = obj["gflops"] as? Double { best = max(best, g) }
            if let s = obj["samples_per_s"] as? Double { best = max(best, s) }
        }
        guard best > 0 else { throw WorkloadError(source: script.path, "printed no result for \(name ?? suite); expected a JSON line with gflops or samples_per_s") }
        return best
    }
}
