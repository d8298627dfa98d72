import FedFusion
import Testing

@Suite struct CatalogTests {
    @Test(arguments: StrategyCatalog.names)
    func everyNameBuildsWithDefaults(name: String) throws {
        let strategy = try StrategyCatalog.make(name: name)
        #expect(strategy.name == name)
        #expect(StrategyCatalog.optionNames[name] != nil)
    }

    @Test func unknownNameListsTheValidOnes() {
        do {
            _ = try StrategyCatalog.make(name: "fedsgd")
            Issue.record("accepted an unknown strategy")
        } catch {
            #expect(error.code == .unknownName)
            #expect(error.description.contains("fedavg, fedprox, fedavgm, fedadagrad, fedadam, fedyogi, median, trimmed-mean, krum, multi-krum, dynamic, fedbuff"))
        }
    }

    @Test func unknownOptionListsTheStrategysOptions() {
        #expect(throws: FusionError(.unknownName, source: "fedavg option momentum", "unknown option; expected one of: server-lr")) {
            try StrategyCatalog.make(name: "fedavg", options: ["momentum": "0.9"])
        }
        #expect(throws: FusionError(.unknownName, source: "median option beta", "unknown option; it takes no options")) {
            try StrategyCatalog.make(name: "median", options: ["beta": "0.1"])
        }
    }

    @Test(arguments: [
        ("trimmed-mean", "beta", "0.5"), ("trimmed-mean", "beta", "-0.1"),
        ("krum", "f", "-1"), ("krum", "f", "1.5"), ("multi-krum", "f", "-2"), ("multi-krum", "m", "0"),
        ("fedbuff", "buffer-size", "0"), ("fedbuff", "staleness-exponent", "-1"), ("fedbuff", "staleness", "linear"),
        ("fedbuff", "server-lr", "0"), ("fedavg", "server-lr", "-1"), ("fedavg", "server-lr", "abc"),
        ("fedavg", "server-lr", "inf"), ("fedprox", "mu", "-0.1"), ("fedavgm", "momentum", "1"),
        ("fedavgm", "server-lr", "-0.5"), ("fedadagrad", "tau", "0"), ("fedadam", "beta1", "-0.1"),
        ("fedadam", "beta2", "1.5"), ("fedyogi", "tau", "-1"), ("fedyogi", "server-lr", "nan"),
        ("dynamic", "window-seconds", "0"), ("dynamic", "window-seconds", "1e300"), ("dynamic", "tolerance", "-1"), ("dynamic", "server-lr", "-1"),
    ])
    func badOptionsThrowNamingTheOption(name: String, option: String, value: String) {
        do {
            _ = try StrategyCatalog.make(name: name, options: [option: value])
            Issue.record("\(name) accepted \(option)=\(value)")
        } catch {
            #expect(error.code == .invalidOption)
            #expect(error.source == "\(name) option \(option)", "\(error)")
            #expect(error.message.contains("expected"), "\(error)")
        }
    }

    @Test func badInitArgumentsThrowToo() {
        #expect(throws: FusionError.self) { try TrimmedMean(beta: 0.6) }
        #expect(throws: FusionError.self) { try Krum(assumedByzantine: -1) }
        #expect(throws: FusionError.self) { try FedBuff(bufferSize: 0) }
        #expect(throws: FusionError.self) { try FedBuff(staleness: .polynomial(exponent: -0.5)) }
        #expect(throws: FusionError.self) { try FedAvg(serverLearningRate: -1) }
        #expect(throws: FusionError.self) { try DynamicFusion(timeWindow: .zero) }
        #expect(throws: FusionError.self) { try FedYogi(beta2: 1) }
    }

    @Test func optionsReachTheStrategy() throws {
        let buff = try StrategyCatalog.make(name: "fedbuff", options: ["buffer-size": "4", "staleness": "polynomial", "staleness-exponent": "2"])
        #expect(buff.mode == .buffered(bufferSize: 4))
        #expect((buff.base as? FedBuff)?.staleness == .polynomial(exponent: 2))
        #expect((try StrategyCatalog.make(name: "fedbuff", options: ["staleness-exponent": "1"]).base as? FedBuff)?.staleness == .polynomial(exponent: 1))
        #expect((try StrategyCatalog.make(name: "fedbuff", options: ["staleness": "constant"]).base as? FedBuff)?.staleness == .constant)
        #expect(throws: FusionError.self) { try StrategyCatalog.make(name: "fedbuff", options: ["staleness": "constant", "staleness-exponent": "1"]) }
        let dynamic = try StrategyCatalog.make(name: "dynamic", options: ["window-seconds": "2.5", "tolerance": "0.125"])
        #expect(dynamic.roundTimeWindow == .milliseconds(2500))
        #expect(dynamic.nodeInstructions(round: 1) == ["participation_tolerance": 0.125])
        #expect(try StrategyCatalog.make(name: "fedprox", options: ["mu": "0.5"]).nodeInstructions(round: 1) == ["proximal_mu": 0.5])
        #expect((try StrategyCatalog.make(name: "multi-krum", options: ["f": "2", "m": "3"]).base as? MultiKrum).map { [$0.assumedByzantine, $0.selectionCount] } == [2, 3])
        #expect((try StrategyCatalog.make(name: "fedyogi", options: ["beta2": "0.5"]).base as? FedYogi)?.beta2 == 0.5)
    }

    @Test func erasedStrategyKeepsServerStateAcrossRounds() throws {
        // FedAvgM through the eraser: same numbers as LinearStrategyTests (η = 2, β = 0.5)
        var strategy = try StrategyCatalog.make(name: "fedavgm", options: ["server-lr": "2", "momentum": "0.5"])
        var global: [Float] = [0, 0]
        runRound(&strategy, threeNodes, global: &global, round: 1)
        runRound(&strategy, [update("a", [1, -2])], global: &global, round: 2)
        #expect(global == [12.5, -4])
        #expect((strategy.base as? FedAvgM)?.velocity == [2.75, -2])
        // wrapping twice does not nest
        #expect(AnyFusionStrategy(strategy).base is FedAvgM)
    }

    @Test func erasedAccumulatorExplainsWhyItCannotFuse() throws {
        var accumulator = try StrategyCatalog.make(name: "krum").makeAccumulator(parameterCount: 2, version: 0)
        for u in threeNodes { accumulator.add(u) }
        #expect(accumulator.fusedDelta() == nil)
        do {
            _ = try accumulator.fuse()
            Issue.record("Krum fused 3 updates with f = 1")
        } catch {
            #expect(error.code == .cannotFuse)
            #expect(error.message.contains("needs more than 2f + 2 = 4 updates; got 3"))
        }
    }
}
