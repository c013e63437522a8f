import COpenSSL

/// A SHA-256 digest computed through libcrypto on a stack context: unlike swift-crypto's `SHA256.hash`, no call
/// allocates, which matters where a commit's verification hashes dozens of short MST keys and nodes.
package struct SHA256Digest {
    /// The 32 digest bytes in order, as four words in memory order.
    package var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// An all-zero digest (filled in by `SHA256Hasher`).
    init() {}

    /// The digest of `data`.
    @inline(__always)
    package init(of data: UnsafeRawBufferPointer) {
        withUnsafeMutableBytes(of: &words) { output in
            guard let digest = output.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            tributary_sha256(data.baseAddress, data.count, digest)
        }
    }

    /// Leading zero bits of the digest read as a big-endian number (the MST key layer counts these).
    package var leadingZeroBits: Int {
        let first = UInt64(bigEndian: words.0)
        if first != 0 { return first.leadingZeroBitCount }
        let second = UInt64(bigEndian: words.1)
        if second != 0 { return 64 + second.leadingZeroBitCount }
        let third = UInt64(bigEndian: words.2)
        if third != 0 { return 128 + third.leadingZeroBitCount }
        return 192 + UInt64(bigEndian: words.3).leadingZeroBitCount
    }

    /// Calls `body` with the 32 digest bytes.
    @inline(__always)
    package func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: words, body)
    }
}

/// An incremental SHA-256 on a stack context (for data in pieces, such as a block with patched CIDs).
package struct SHA256Hasher {
    private var context = SHA256_CTX()

    /// A fresh hash.
    package init() { SHA256_Init(&context) }

    /// Adds `data` to the hash.
    package mutating func update(_ data: UnsafeRawBufferPointer) {
        guard let base = data.baseAddress, data.count > 0 else { return }
        SHA256_Update(&context, base, data.count)
    }

    /// The digest of everything added.
    package mutating func finalize() -> SHA256Digest {
        var digest = SHA256Digest()
        withUnsafeMutableBytes(of: &digest.words) { output in
            guard let base = output.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            SHA256_Final(base, &context)
        }
        return digest
    }
}
