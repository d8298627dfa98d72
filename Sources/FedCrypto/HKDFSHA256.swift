import Crypto

/// HKDF with SHA-256 (RFC 5869): every FedData secure-aggregation key is derived through it, with
/// the session id as salt and a labelled `info` naming the purpose and both parties.
public enum HKDFSHA256 {
    /// Derives `outputByteCount` bytes from `inputKeyMaterial`.
    /// - Parameters:
    ///   - inputKeyMaterial: the secret (a shared secret or a seed).
    ///   - salt: the salt (FedData: the session id).
    ///   - info: the context label and fields.
    ///   - outputByteCount: the number of output bytes (1 … 8160).
    public static func deriveKey(inputKeyMaterial: [UInt8], salt: [UInt8], info: [UInt8], outputByteCount: Int = 32) -> [UInt8] {
        precondition(outputByteCount > 0 && outputByteCount <= 255 * 32, "HKDFSHA256: output length out of range")
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: inputKeyMaterial), salt: salt, info: info, outputByteCount: outputByteCount)
        return key.withUnsafeBytes { Array($0) }
    }
}
