#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How much an update computed from an old global model counts in buffered asynchronous
/// fusion (FedBuff), as a function of its staleness τ = current version − the version it
/// started from (τ ≥ 0).
public enum StalenessFunction: Sendable, Equatable {
    /// s(τ) = 1: staleness ignored.
    case constant
    /// s(τ) = 1/√(1 + τ), FedBuff's choice (Nguyen et al. 2022).
    case inverseSquareRoot
    /// s(τ) = (1 + τ)^(−a) for an exponent a ≥ 0 (the polynomial staleness of FedAsync, Xie,
    /// Koyejo, Gupta 2019). a = 0 is `constant`, a = 0.5 is `inverseSquareRoot`.
    case polynomial(exponent: Double)

    /// The weight s(τ); a negative τ (an update from a newer version than the buffer's) counts as 0.
    /// - Parameter staleness: τ.
    public func weight(staleness: Int) -> Double {
        let t = Double(max(0, staleness))
        switch self {
        case .constant: return 1
        case .inverseSquareRoot: return 1 / (1 + t).squareRoot()
        case .polynomial(let a): return a == 0 ? 1 : Self.power(1 + t, -a)
        }
    }

    /// Names accepted by `StrategyCatalog`: `constant`, `inverse-sqrt`, `polynomial`.
    public static let names = ["constant", "inverse-sqrt", "polynomial"]

    /// xʸ for x ≥ 1, as exp(y·ln x), without Foundation.
    static func power(_ x: Double, _ y: Double) -> Double {
        exp(y * log(x))
    }
}
