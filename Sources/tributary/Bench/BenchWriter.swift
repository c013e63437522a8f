import Dispatch
import EventLog

/// Appends benchmark events to the log, either all at once or paced at a fixed rate, and records when each
/// event was handed to the log (the start of its write transaction) for append→receive latencies.
enum BenchWriter {
    /// Appends `count` events in transactions of `batch`; returns the seconds taken.
    static func fill(_ log: EventLog, frames: BenchFrames, count: Int, batch: Int = 1_000) throws -> Double {
        let started = DispatchTime.now().uptimeNanoseconds
        var written = 0
        while written < count {
            let end = min(count, written + batch)
            try append(log, frames: frames, positions: written..<end)
            written = end
        }
        return Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    }

    /// Appends `count` events at `rate` per second, one transaction per `tick`; returns each event's append time
    /// (monotonic ns), in seq order.
    static func paced(_ log: EventLog, frames: BenchFrames, rate: Int, count: Int,
                      tick: Duration = .milliseconds(5)) async throws -> [UInt64]
    {
        var times: [UInt64] = []
        times.reserveCapacity(count)
        let clock = ContinuousClock()
        let start = clock.now
        let tickSeconds = Double(tick.components.attoseconds) / 1e18 + Double(tick.components.seconds)
        var ticks = 0
        while times.count < count {
            ticks += 1
            try await Task.sleep(until: start.advanced(by: tick * ticks), clock: clock)
            let due = min(count, Int(Double(rate) * tickSeconds * Double(ticks)))
            guard due > times.count else { continue }
            let handedOver = DispatchTime.now().uptimeNanoseconds
            try append(log, frames: frames, positions: times.count..<due)
            times += repeatElement(handedOver, count: due - times.count)
        }
        return times
    }

    private static func append(_ log: EventLog, frames: BenchFrames, positions: Range<Int>) throws {
        try log.write { txn in
            for position in positions {
                try txn.append(kind: .commit, did: frames.did(position: position)) { seq in
                    frames.frame(position: position, seq: seq)
                }
            }
        }
    }
}
