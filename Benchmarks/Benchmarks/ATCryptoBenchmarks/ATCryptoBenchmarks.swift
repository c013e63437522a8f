import Benchmark
import ATCrypto

let benchmarks: @Sendable () -> Void = {
}
