import Benchmark
import EventLog

let benchmarks: @Sendable () -> Void = {
}
