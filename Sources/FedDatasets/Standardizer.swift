/// Mean imputation and standardisation of features, with statistics fitted on chosen
/// samples (a training subset, or one federated node's local data).
///
/// `fit` computes, for every feature value position, the mean and (population) standard
/// deviation of the values that are not NaN. `apply` replaces NaN by the fitted mean and then
/// maps x ↦ (x − mean) / std, so an imputed value becomes exactly 0. A feature with no
/// observed values gets mean 0; one with zero spread gets std 1 (it is only centred).
public struct Standardizer: Sendable, Equatable {
    /// The fitted mean of each feature position.
    public var means: [Float]
    /// The fitted standard deviation of each feature position (never 0).
    public var standardDeviations: [Float]

    /// Creates a standardizer from known statistics.
    /// - Precondition: both arrays have the same length and every deviation is positive.
    public init(means: [Float], standardDeviations: [Float]) {
        precondition(means.count == standardDeviations.count && standardDeviations.allSatisfy { $0 > 0 },
                     "Standardizer: means and positive standard deviations of equal length required")
        self.means = means
        self.standardDeviations = standardDeviations
    }

    /// Fits the statistics on the samples `indices` of `dataset` (default: all), ignoring NaN.
    /// - Parameters:
    ///   - dataset: the data.
    ///   - indices: the samples to fit on, e.g. a node's training partition.
    public static func fit(on dataset: LabeledDataset, indices: [Int]? = nil) -> Standardizer {
        let f = dataset.featureCount
        var sum = [Double](repeating: 0, count: f), sumSquares = sum, seen = sum
        for i in indices ?? Array(0..<dataset.count) {
            for j in 0..<f {
                let v = dataset.features[i * f + j]
                guard !v.isNaN else { continue }
                sum[j] += Double(v)
                sumSquares[j] += Double(v) * Double(v)
                seen[j] += 1
            }
        }
        var means = [Float](repeating: 0, count: f), deviations = [Float](repeating: 1, count: f)
        for j in 0..<f where seen[j] > 0 {
            let mean = sum[j] / seen[j]
            let variance = max(0, sumSquares[j] / seen[j] - mean * mean)
            means[j] = Float(mean)
            let sd = Float(variance.squareRoot())
            deviations[j] = sd > 1e-6 ? sd : 1
        }
        return Standardizer(means: means, standardDeviations: deviations)
    }

    /// `dataset` with missing values imputed and every feature standardised.
    /// - Precondition: the dataset has `means.count` features per sample.
    public func apply(to dataset: LabeledDataset) -> LabeledDataset {
        var out = dataset
        apply(to: &out.features)
        return out
    }

    /// Imputes and standardises row-major features in place.
    /// - Precondition: `features.count` is a multiple of `means.count`.
    public func apply(to features: inout [Float]) {
        let f = means.count
        precondition(f > 0 && features.count % f == 0, "Standardizer: \(features.count) values are not rows of \(f) features")
        for k in 0..<features.count {
            let j = k % f
            let v = features[k].isNaN ? means[j] : features[k]
            features[k] = (v - means[j]) / standardDeviations[j]
        }
    }
}
