// The library's static context is a C global; it is immutable after load, which the importer cannot know.
@preconcurrency import CSecp256k1

/// libsecp256k1 contexts shared by the whole process.
///
/// Verification, point parsing and serialization use the library's read-only static context (no allocation, no
/// setup cost). Signing needs a context with precomputed tables; one is created lazily and blinded with random bytes
/// once. libsecp256k1 allows concurrent use of a context by functions taking it as `const`, which all of ours do.
enum Secp256k1Context {
    /// Read-only context for verify/parse/serialize.
    nonisolated(unsafe) static let verification: OpaquePointer = {
        // The self test guards against a miscompiled library before the static context is trusted.
        secp256k1_selftest()
        return secp256k1_context_static
    }()

    /// Context for signing and key derivation; nil only if the library could not allocate one.
    nonisolated(unsafe) static let signing: OpaquePointer? = {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { return nil }
        var seed = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in seed.indices { seed[index] = generator.next() }
        // Blinding only hardens against side channels; a failure leaves a usable, unblinded context.
        _ = secp256k1_context_randomize(context, seed)
        return context
    }()
}
