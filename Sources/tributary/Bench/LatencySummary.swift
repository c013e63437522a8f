/// Percentiles of a set of latency samples.
struct LatencySummary {
    let count: Int
    let p50: Double
    let p99: Double
    let max: Double

    /// Summarizes samples in nanoseconds; results are in milliseconds.
    init(nanoseconds samples: [Int64]) {
        let sorted = samples.sorted()
        count = sorted.count
        func at(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = Swift.min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
            return Double(sorted[Swift.max(0, index)]) / 1_000_000
        }
        p50 = at(0.50)
        p99 = at(0.99)
        max = sorted.last.map { Double($0) / 1_000_000 } ?? 0
    }
}
