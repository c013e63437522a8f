import ATCrypto

extension Commit {
    /// True when `sig` is a valid low-S signature by `key` over the commit's unsigned bytes.
    public func isSigned(by key: PublicKey) -> Bool {
        key.verify(signature: signature, message: unsignedBytes)
    }
}
