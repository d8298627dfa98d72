import ArgumentParser
import FedPrivacy
import FedWorkloads
import Foundation

/// `feddata privacy epsilon|noise|steps`: the RDP accountant of the Poisson-subsampled Gaussian
/// mechanism (DP-FedAvg rounds, DP-SGD steps), as Google's dp-accounting computes it.
struct PrivacyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy",
        abstract: "Differential-privacy accounting: ε for a noise level, the noise for an ε, the steps a budget allows.",
        discussion: """
            Each step (a DP-FedAvg round) samples every client with probability q (--sampling-rate: \
            expected clients per round / population) and adds Gaussian noise of z (--noise-multiplier) \
            times the clip norm. ε is from Rényi DP over dp-accounting's default orders \
            {1.1, 1.2, …, 10.9, 11, …, 63, 128, 256, 512, 1024} with the improved conversion.
            """,
        subcommands: [Epsilon.self, Noise.self, Steps.self]
    )

    /// Which order grid to use.
    enum OrderGrid: String, ExpressibleByArgument, CaseIterable {
        case `default`, tf, integer

        var orders: [Double] {
            switch self {
            case .default: return RDPAccountant.defaultOrders
            case .tf: return RDPAccountant.tfPrivacyOrders
            case .integer: return RDPAccountant.integerOrders
            }
        }
    }

    /// Which RDP to (ε, δ) conversion to use.
    enum Conversion: String, ExpressibleByArgument, CaseIterable {
        case improved, classic

        var conversion: RDPConversion { self == .improved ? .improved : .classic }
    }

    /// Options every `privacy` subcommand takes.
    struct AccountingOptions: ParsableArguments {
        @Option(help: "δ, in (0, 1).")
        var delta: Double = 1e-5

        @Option(help: "The Rényi order grid: default (dp-accounting), tf (TF-Privacy tutorials, Opacus), integer (2…256).")
        var orders: OrderGrid = .default

        @Option(help: "RDP to (ε, δ) conversion: improved (dp-accounting, Opacus) or classic (Mironov 2017, old TF-Privacy).")
        var conversion: Conversion = .improved

        @Flag(help: "Print one JSON line.")
        var json = false

        func validate() throws {
            guard delta > 0, delta < 1 else { throw ValidationError("--delta must be in (0, 1), got \(delta)") }
        }
    }

    /// `feddata privacy epsilon --sampling-rate Q --noise-multiplier Z --steps T [--delta D]`.
    struct Epsilon: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "epsilon",
            abstract: "The ε spent by T steps with sampling rate q and noise multiplier z."
        )

        @Option(help: "q, each client's chance of being in a step, in [0, 1].")
        var samplingRate: Double

        @Option(help: "z, the noise standard deviation over the clip norm, ≥ 0.")
        var noiseMultiplier: Double

        @Option(help: "T, the number of steps (rounds), ≥ 0.")
        var steps: Int

        @OptionGroup var options: AccountingOptions

        func validate() throws {
            try PrivacyCommand.validate(samplingRate: samplingRate)
            try PrivacyCommand.validate(noiseMultiplier: noiseMultiplier)
            try PrivacyCommand.validate(steps: steps)
        }

        func run() throws {
            let g = try RDPAccountant.epsilon(samplingRate: samplingRate, noiseMultiplier: noiseMultiplier, steps: steps,
                                              delta: options.delta, orders: options.orders.orders, conversion: options.conversion.conversion)
            if options.json {
                emit(JSONLine(["epsilon": .number(g.epsilon), "best_order": .number(g.bestOrder),
                               "sampling_rate": .number(samplingRate), "noise_multiplier": .number(noiseMultiplier),
                               "steps": .integer(steps), "delta": .number(options.delta),
                               "orders": .string(options.orders.rawValue), "conversion": .string(options.conversion.rawValue),
                               "best_order_at_grid_edge": .bool(g.bestOrderAtGridEdge)]))
            } else {
                print("ε = \(PrivacyCommand.format(g.epsilon)) at δ = \(options.delta) after \(steps) steps with q = \(samplingRate), z = \(noiseMultiplier) (best order \(PrivacyCommand.format(g.bestOrder)), \(options.conversion.rawValue) conversion, \(options.orders.rawValue) orders)")
            }
            PrivacyCommand.warnIfAtEdge(g)
        }
    }

    /// `feddata privacy noise --target-epsilon E --sampling-rate Q --steps T [--delta D]`.
    struct Noise: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "noise",
            abstract: "The smallest noise multiplier z whose ε after T steps is at most a target."
        )

        @Option(help: "The ε to stay within, > 0.")
        var targetEpsilon: Double

        @Option(help: "q, each client's chance of being in a step, in [0, 1].")
        var samplingRate: Double

        @Option(help: "T, the number of steps (rounds), ≥ 0.")
        var steps: Int

        @Option(help: "The precision of z (the bisection stops when its bracket is this narrow), > 0.")
        var tolerance: Double = 1e-4

        @OptionGroup var options: AccountingOptions

        func validate() throws {
            guard targetEpsilon.isFinite, targetEpsilon > 0 else { throw ValidationError("--target-epsilon must be a finite number > 0, got \(targetEpsilon)") }
            try PrivacyCommand.validate(samplingRate: samplingRate)
            try PrivacyCommand.validate(steps: steps)
            guard tolerance.isFinite, tolerance > 0 else { throw ValidationError("--tolerance must be a finite number > 0, got \(tolerance)") }
        }

        func run() throws {
            let found = try RDPAccountant.noiseMultiplier(targetEpsilon: targetEpsilon, samplingRate: samplingRate, steps: steps,
                                                          delta: options.delta, orders: options.orders.orders,
                                                          conversion: options.conversion.conversion, tolerance: tolerance)
            let g = found.guarantee
            if options.json {
                emit(JSONLine(["noise_multiplier": .number(found.noiseMultiplier), "epsilon": .number(g.epsilon),
                               "best_order": .number(g.bestOrder), "target_epsilon": .number(targetEpsilon),
                               "sampling_rate": .number(samplingRate), "steps": .integer(steps), "delta": .number(options.delta),
                               "tolerance": .number(tolerance), "orders": .string(options.orders.rawValue),
                               "conversion": .string(options.conversion.rawValue), "best_order_at_grid_edge": .bool(g.bestOrderAtGridEdge)]))
            } else {
                print("z = \(PrivacyCommand.format(found.noiseMultiplier, digits: 6)) gives ε = \(PrivacyCommand.format(g.epsilon)) ≤ \(targetEpsilon) at δ = \(options.delta) after \(steps) steps with q = \(samplingRate) (best order \(PrivacyCommand.format(g.bestOrder)))")
            }
            PrivacyCommand.warnIfAtEdge(g)
        }
    }

    /// `feddata privacy steps --epsilon E --sampling-rate Q --noise-multiplier Z [--delta D]`.
    struct Steps: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "steps",
            abstract: "The most steps (rounds) whose ε stays within a budget."
        )

        @Option(help: "The budget's ε, > 0.")
        var epsilon: Double

        @Option(help: "q, each client's chance of being in a step, in [0, 1].")
        var samplingRate: Double

        @Option(help: "z, the noise standard deviation over the clip norm, ≥ 0.")
        var noiseMultiplier: Double

        @OptionGroup var options: AccountingOptions

        func validate() throws {
            guard epsilon.isFinite, epsilon > 0 else { throw ValidationError("--epsilon must be a finite number > 0, got \(epsilon)") }
            try PrivacyCommand.validate(samplingRate: samplingRate)
            try PrivacyCommand.validate(noiseMultiplier: noiseMultiplier)
        }

        func run() throws {
            let steps = try RDPAccountant.maximumSteps(epsilon: epsilon, samplingRate: samplingRate, noiseMultiplier: noiseMultiplier,
                                                       delta: options.delta, orders: options.orders.orders, conversion: options.conversion.conversion)
            let g = try RDPAccountant.epsilon(samplingRate: samplingRate, noiseMultiplier: noiseMultiplier, steps: steps,
                                              delta: options.delta, orders: options.orders.orders, conversion: options.conversion.conversion)
            if options.json {
                emit(JSONLine(["steps": .integer(steps), "epsilon": .number(g.epsilon), "best_order": .number(g.bestOrder),
                               "budget_epsilon": .number(epsilon), "sampling_rate": .number(samplingRate),
                               "noise_multiplier": .number(noiseMultiplier), "delta": .number(options.delta),
                               "orders": .string(options.orders.rawValue), "conversion": .string(options.conversion.rawValue)]))
            } else {
                print("\(steps) steps fit ε ≤ \(epsilon) at δ = \(options.delta) with q = \(samplingRate), z = \(noiseMultiplier) (they spend ε = \(PrivacyCommand.format(g.epsilon)))")
            }
        }
    }

    static func validate(samplingRate: Double) throws {
        guard samplingRate >= 0, samplingRate <= 1 else { throw ValidationError("--sampling-rate must be in [0, 1], got \(samplingRate)") }
    }

    static func validate(noiseMultiplier: Double) throws {
        guard noiseMultiplier.isFinite, noiseMultiplier >= 0 else {
            throw ValidationError("--noise-multiplier must be a finite number ≥ 0, got \(noiseMultiplier)")
        }
    }

    static func validate(steps: Int) throws {
        guard steps >= 0 else { throw ValidationError("--steps must be ≥ 0, got \(steps)") }
    }

    /// A number with `digits` significant digits ("inf" for +∞).
    static func format(_ x: Double, digits: Int = 4) -> String {
        x.isFinite ? String(format: "%.\(digits)g", x) : "inf"
    }

    /// A note on standard error when the best order is an end of the grid.
    static func warnIfAtEdge(_ g: PrivacyGuarantee) {
        if g.bestOrderAtGridEdge && g.epsilon.isFinite && g.epsilon > 0 {
            note("warning: the best Rényi order \(format(g.bestOrder)) is an end of the order grid; ε might be smaller on a wider grid")
        }
    }
}

