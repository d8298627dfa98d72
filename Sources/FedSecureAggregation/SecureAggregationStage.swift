/// The stages of a SecAgg+ round (Bonawitz et al. 2017 rounds 0–2 and 4; no consistency check,
/// since the server is semi-honest), plus the terminal states.
public enum SecureAggregationStage: String, Sendable, Hashable, CustomStringConvertible {
    /// Round 0: clients send their two fresh public keys.
    case advertiseKeys = "AdvertiseKeys"
    /// Round 1: clients send encrypted Shamir shares of their mask key and self-mask seed to
    /// their graph neighbours.
    case shareKeys = "ShareKeys"
    /// Round 2: clients send their masked input vectors.
    case maskedInputCollection = "MaskedInputCollection"
    /// Round 4: clients reveal the shares the server needs to remove the masks.
    case unmasking = "Unmasking"
    /// The round produced its sum.
    case completed = "Completed"
    /// The round failed; it produces nothing.
    case failed = "Failed"
    /// Reading or validating a configuration or input, outside any stage.
    case setup = "Setup"

    public var description: String { rawValue }
}
