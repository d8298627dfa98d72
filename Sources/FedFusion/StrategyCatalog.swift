/// The fusion strategies known by name to the command line and to configuration files.
///
/// Options are plain `name=value` strings, as a command line gives them (numbers in Swift's
/// `Double`/`Int` syntax). Every option has the default documented on its strategy's `init`:
///
/// | strategy | options |
/// |---|---|
/// | `fedavg` | `server-lr` |
/// | `fedprox` | `mu`, `server-lr` |
/// | `fedavgm` | `server-lr`, `momentum` |
/// | `fedadagrad` | `server-lr`, `beta1`, `tau` |
/// | `fedadam`, `fedyogi` | `server-lr`, `beta1`, `beta2`, `tau` |
/// | `median` | none |
/// | `trimmed-mean` | `beta` |
/// | `krum` | `f` |
/// | `multi-krum` | `f`, `m` |
/// | `dynamic` | `window-seconds`, `tolerance`, `server-lr` |
/// | `fedbuff` | `buffer-size`, `server-lr`, `staleness` (`constant`, `inverse-sqrt`, `polynomial`), `staleness-exponent` |
public enum StrategyCatalog {
    /// The valid strategy names.
    public static let names = [
        "fedavg", "fedprox", "fedavgm", "fedadagrad", "fedadam", "fedyogi",
        "median", "trimmed-mean", "krum", "multi-krum", "dynamic", "fedbuff",
    ]

    /// The option names each strategy accepts.
    public static let optionNames: [String: [String]] = [
        "fedavg": ["server-lr"],
        "fedprox": ["mu", "server-lr"],
        "fedavgm": ["server-lr", "momentum"],
        "fedadagrad": ["server-lr", "beta1", "tau"],
        "fedadam": ["server-lr", "beta1", "beta2", "tau"],
        "fedyogi": ["server-lr", "beta1", "beta2", "tau"],
        "median": [],
        "trimmed-mean": ["beta"],
        "krum": ["f"],
        "multi-krum": ["f", "m"],
        "dynamic": ["window-seconds", "tolerance", "server-lr"],
        "fedbuff": ["buffer-size", "server-lr", "staleness", "staleness-exponent"],
    ]

    /// Builds the named strategy with its options.
    /// - Parameters:
    ///   - name: one of `names`.
    ///   - options: option name → value; options not given take their defaults.
    /// - Throws: `FusionError.unknownName` for an unknown strategy (listing the valid names) or an
    ///   option the strategy does not take (listing its options); `FusionError.invalidOption`
    ///   naming the option for a value that is not a number or out of range.
    public static func make(name: String, options: [String: String] = [:]) throws(FusionError) -> AnyFusionStrategy {
        guard let allowed = optionNames[name] else {
            throw FusionError(.unknownName, source: "strategy \(name)", "unknown strategy; expected one of: \(names.joined(separator: ", "))")
        }
        for key in options.keys.sorted() where !allowed.contains(key) {
            let expected = allowed.isEmpty ? "it takes no options" : "expected one of: \(allowed.joined(separator: ", "))"
            throw FusionError(.unknownName, source: "\(name) option \(key)", "unknown option; \(expected)")
        }
        let o = OptionReader(strategy: name, options: options)
        switch name {
        case "fedavg":
            return AnyFusionStrategy(try FedAvg(serverLearningRate: o.float("server-lr", 1)))
        case "fedprox":
            return AnyFusionStrategy(try FedProx(mu: o.double("mu", 0.01), serverLearningRate: o.float("server-lr", 1)))
        case "fedavgm":
            return AnyFusionStrategy(try FedAvgM(serverLearningRate: o.float("server-lr", 1), momentum: o.float("momentum", 0.9)))
        case "fedadagrad":
            return AnyFusionStrategy(try FedAdagrad(serverLearningRate: o.float("server-lr", 1e-2), beta1: o.float("beta1", 0.9), tau: o.float("tau", 1e-3)))
        case "fedadam":
            return AnyFusionStrategy(try FedAdam(serverLearningRate: o.float("server-lr", 1e-2), beta1: o.float("beta1", 0.9), beta2: o.float("beta2", 0.99), tau: o.float("tau", 1e-3)))
        case "fedyogi":
            return AnyFusionStrategy(try FedYogi(serverLearningRate: o.float("server-lr", 1e-2), beta1: o.float("beta1", 0.9), beta2: o.float("beta2", 0.99), tau: o.float("tau", 1e-3)))
        case "median":
            return AnyFusionStrategy(CoordinateWiseMedian())
        case "trimmed-mean":
            return AnyFusionStrategy(try TrimmedMean(beta: o.double("beta", 0.1)))
        case "krum":
            return AnyFusionStrategy(try Krum(assumedByzantine: o.int("f", 1)))
        case "multi-krum":
            return AnyFusionStrategy(try MultiKrum(assumedByzantine: o.int("f", 1), selectionCount: o.optionalInt("m")))
        case "dynamic":
            let window = try o.double("window-seconds", 60)
            guard window > 0, window <= 1e9 else { throw o.invalid("window-seconds", "a number of seconds in (0, 10⁹]") }
            return AnyFusionStrategy(try DynamicFusion(
                timeWindow: .seconds(window),
                participationTolerance: o.double("tolerance", 0),
                serverLearningRate: o.float("server-lr", 1)))
        case "fedbuff":
            return AnyFusionStrategy(try FedBuff(bufferSize: o.int("buffer-size", 10), serverLearningRate: o.float("server-lr", 1), staleness: o.staleness()))
        default:
            preconditionFailure("strategy \(name) is in optionNames but has no case in make(name:options:)")
        }
    }
}

/// Reads typed option values, each error naming the strategy and the option.
struct OptionReader {
    let strategy: String
    let options: [String: String]

    func invalid(_ key: String, _ expected: String) -> FusionError {
        FusionError(.invalidOption, source: "\(strategy) option \(key)", "expected \(expected), got \"\(options[key] ?? "")\"")
    }

    func double(_ key: String, _ defaultValue: Double) throws(FusionError) -> Double {
        guard let text = options[key] else { return defaultValue }
        guard let value = Double(text), value.isFinite else { throw invalid(key, "a finite number") }
        return value
    }

    func float(_ key: String, _ defaultValue: Float) throws(FusionError) -> Float {
        Float(try double(key, Double(defaultValue)))
    }

    func optionalInt(_ key: String) throws(FusionError) -> Int? {
        guard let text = options[key] else { return nil }
        guard let value = Int(text) else { throw invalid(key, "a whole number") }
        return value
    }

    func int(_ key: String, _ defaultValue: Int) throws(FusionError) -> Int {
        try optionalInt(key) ?? defaultValue
    }

    /// `staleness` (default `inverse-sqrt`) with `staleness-exponent` (default 0.5, only with
    /// `polynomial`; given alone it implies `polynomial`).
    func staleness() throws(FusionError) -> StalenessFunction {
        let exponent = options["staleness-exponent"] == nil ? nil : try double("staleness-exponent", 0.5)
        switch options["staleness"] {
        case nil:
            return exponent.map { .polynomial(exponent: $0) } ?? .inverseSquareRoot
        case "polynomial":
            return .polynomial(exponent: exponent ?? 0.5)
        case let other?:
            let function: StalenessFunction
            switch other {
            case "constant": function = .constant
            case "inverse-sqrt": function = .inverseSquareRoot
            default: throw invalid("staleness", "one of: \(StalenessFunction.names.joined(separator: ", "))")
            }
            guard exponent == nil else {
                throw FusionError(.invalidOption, source: "\(strategy) option staleness-exponent", "applies only with staleness=polynomial; staleness is \(other)")
            }
            return function
        }
    }
}
