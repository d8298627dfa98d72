import Foundation

/// The hypergeometric distribution: draw `sampled` of `total` items without replacement, of which
/// `marked` are marked; X = the number of marked items drawn. A port of fcp's
/// `distribution_utilities.cc` (log-gamma PMF, tail sums stepped by the PMF ratio, quantiles
/// rounded away from the median), used by ``SecureAggregationParameterFinder``.
struct HypergeometricDistribution: Sendable {
    let total: Int
    let marked: Int
    let sampled: Int

    init(total: Int, marked: Int, sampled: Int) {
        precondition(total >= 0 && marked >= 0 && sampled >= 0 && marked <= total && sampled <= total,
                     "HypergeometricDistribution: invalid parameters")
        self.total = total
        self.marked = marked
        self.sampled = sampled
    }

    func pmf(_ x: Double) -> Double { pmf(x, counted: marked) }

    func pmf(_ x: Double, counted: Int) -> Double {
        let n = Double(total), k = Double(sampled), c = Double(counted)
        if x < 0 || x > k || x > c { return 0 }
        if n + x < c + k { return 0 }
        var l: Double = lgamma(k + 1)
        l += lgamma(c + 1)
        l += lgamma(n - c + 1)
        l += lgamma(n - k + 1)
        l -= lgamma(x + 1)
        l -= lgamma(k - x + 1)
        l -= lgamma(c - x + 1)
        l -= lgamma(n + 1)
        l -= lgamma(n - k - c + x + 1)
        return exp(l)
    }

    func cdf(_ value: Double) -> Double {
        let x = value.rounded(.down)
        let mean = Double(marked) * Double(sampled) / Double(total)
        if x > mean {
            return 1 - cdf(Double(sampled) - x - 1, counted: total - marked)
        }
        return cdf(x, counted: marked)
    }

    /// P(X ≤ x) for the distribution with `counted` marked items, summing the PMF downwards.
    func cdf(_ start: Double, counted: Int) -> Double {
        var x = start
        var current = pmf(x, counted: counted)
        var result = 0.0
        let n = Double(total), k = Double(sampled), c = Double(counted)
        while current > result * 1e-16 {
            result += current
            current *= x
            current *= n - c - k + x
            current /= c - x + 1
            current /= k - x + 1
            x -= 1
        }
        return result
    }

    /// The quantile, rounded away from the median; `complement` asks for the upper tail.
    func quantile(_ q: Double, complement: Bool = false) -> Double {
        var level = q, upper = complement
        if level > 0.5 {
            level = 1 - level
            upper.toggle()
        }
        if upper {
            return Double(sampled) - quantile(level, counted: total - marked) - 1
        }
        return quantile(level, counted: marked)
    }

    func quantile(_ q: Double, counted: Int) -> Double {
        let n = Double(total), k = Double(sampled), c = Double(counted)
        let basicBound = c + k - n - 1
        // An inverted tail bound gives a lower bound on the result.
        let fancyBound = k * (c / n - (-log(q) / (2 * k)).squareRoot())
        var result = max(-1, basicBound, fancyBound).rounded(.down)
        var currentCDF = cdf(result, counted: counted)
        var currentPMF = pmf(result, counted: counted)
        while currentCDF < q && result < k {
            if currentPMF > 0 {
                currentPMF /= result + 1
                currentPMF /= n - c - k + result + 1
                currentPMF *= c - result
                currentPMF *= k - result
            } else {
                currentPMF = pmf(result + 1, counted: counted)
            }
            currentCDF += currentPMF
            result += 1
        }
        return result - 1
    }
}
