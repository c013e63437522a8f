import Benchmark
import ATData

let benchmarks: @Sendable () -> Void = {
}
