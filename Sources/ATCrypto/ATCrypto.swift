/// Namespace of the key and signature layer.
public enum ATCrypto {
    /// Length of a compact ECDSA signature (r || s).
    public static let signatureLength = 64
}
