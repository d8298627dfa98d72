/// The differential-privacy guarantee of a run, or none.
public enum PrivacyBudget: Sendable, Equatable {
    /// No differential privacy was applied.
    case none
    /// (ε, δ)-differential privacy from Gaussian noise on clipped updates.
    /// - Parameters:
    ///   - epsilon: ε spent over the whole run.
    ///   - delta: δ.
    ///   - noiseMultiplier: σ, the noise standard deviation divided by the clip norm.
    ///   - clipNorm: C, the L2 bound on each update.
    case differentialPrivacy(epsilon: Double, delta: Double, noiseMultiplier: Double, clipNorm: Double)

    /// The budget as ordered name/value rows (`none` gives one row saying so).
    public var entries: [ReportEntry] {
        switch self {
        case .none:
            return [ReportEntry("differential privacy", "none")]
        case .differentialPrivacy(let epsilon, let delta, let noiseMultiplier, let clipNorm):
            return [
                ReportEntry("ε (epsilon)", ReportNumber.cell(epsilon)),
                ReportEntry("δ (delta)", ReportNumber.cell(delta)),
                ReportEntry("noise multiplier", ReportNumber.cell(noiseMultiplier)),
                ReportEntry("clip norm", ReportNumber.cell(clipNorm)),
            ]
        }
    }
}
