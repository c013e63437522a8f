import ATCrypto
import Benchmark

/// A signed message the size of a typical unsigned commit (~150 bytes of DAG-CBOR).
private struct Sample {
    let didKey: String
    let key: PublicKey
    let message: [UInt8]
    let signature: [UInt8]

    init(curve: KeyCurve) {
        let privateKey = PrivateKey.generate(curve: curve)
        message = (0..<150).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        signature = (try? privateKey.sign(message: message)) ?? []
        key = privateKey.publicKey
        didKey = key.didKey
        // A benchmark of a failing verify would measure the wrong thing.
        precondition(key.verify(signature: signature, message: message), "sample signature must verify")
    }
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .cpuTotal, .mallocCountTotal], scalingFactor: .kilo,
        maxDuration: .seconds(3), maxIterations: 1_000)

    for curve in KeyCurve.allCases {
        let sample = Sample(curve: curve)

        // The relay's hot path: the account's key is parsed once and cached; each commit costs one verify.
        Benchmark("\(curve) verify (parsed key)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(sample.key.verify(signature: sample.signature, message: sample.message))
            }
        }

        // Cold path: did:key string parsed for every verify (what a cache miss costs beyond the lookup).
        Benchmark("\(curve) parse did:key + verify", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                if let key = try? PublicKey(didKey: sample.didKey) {
                    blackHole(key.verify(signature: sample.signature, message: sample.message))
                }
            }
        }
    }
}
