#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How the learning rate changes over a training run of a known number of steps.
public enum LearningRateSchedule: Sendable, Equatable {
    /// The base rate throughout.
    case constant
    /// Cosine annealing (Loshchilov and Hutter 2017) from the base rate to 0 over the run:
    /// `rate(t) = base · ½ · (1 + cos(π · t / T))` for step t of T.
    case cosine

    /// The rate for step `step` (from 0) of `totalSteps`.
    public func rate(base: Float, step: Int, totalSteps: Int) -> Float {
        switch self {
        case .constant:
            return base
        case .cosine:
            guard totalSteps > 0 else { return base }
            let progress = Double(min(step, totalSteps)) / Double(totalSteps)
            return base * Float(0.5 * (1 + cos(Double.pi * progress)))
        }
    }
}
