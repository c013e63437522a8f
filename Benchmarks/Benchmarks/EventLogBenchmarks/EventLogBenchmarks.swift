import Benchmark
import EventLog
import Foundation
import Synchronization

// Event log benchmarks (release build). Targets on the 2-core dev machine: append ≥ 300,000 events/s, full replay
// scan ≥ 2,000,000 events/s, one shard of 16 ≥ 1,000,000 events/s of the full log.
//
// Scan benchmarks run over a 1,000,000-event log of 1 KiB frames (≈ 1.1 GB, built once per process); one
// iteration = one pass over the whole log, reported with the `.mega` scaling factor, so throughput is events/s.

/// Where the fixtures live; removed at exit.
let benchRoot = (NSTemporaryDirectory() as NSString).appendingPathComponent("tributary-eventlog-bench-\(getpid())")
let frameSize = 1024
let scanEvents = 1_000_000
let batchSize = 1000

/// 10,000 DIDs shaped like did:plc identifiers.
let dids: [String] = (0..<10_000).map { index in
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
    var state = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ 1
    let suffix = (0..<24).map { _ -> Character in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return alphabet[Int(state % 32)]
    }
    return "did:plc:" + String(suffix)
}

/// A 1 KiB frame template; the seq is patched in per event, as an encoder would write it.
let frameTemplate: [UInt8] = (0..<frameSize).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }

func openBenchLog(_ name: String) throws -> EventLog {
    let directory = (benchRoot as NSString).appendingPathComponent(name)
    try? FileManager.default.removeItem(atPath: directory)
    var configuration = EventLog.Configuration(directory: directory)
    configuration.epoch = 1
    configuration.durability = .batch()
    configuration.retention = RetentionPolicy(maxAge: nil)
    return try EventLog(configuration)
}

/// Appends one batch of `count` 1 KiB events in one transaction.
func appendBatch(_ log: EventLog, count: Int, offset: Int) throws {
    try log.write { txn in
        for index in 0..<count {
            try txn.append(kind: .commit, did: dids[(offset + index) % dids.count]) { seq in
                var frame = frameTemplate
                frame.withUnsafeMutableBytes { $0.storeBytes(of: seq.bigEndian, toByteOffset: 16, as: UInt64.self) }
                return frame
            }
        }
    }
}

/// Logs shared by the benchmarks of this process.
final class Fixtures: Sendable {
    static let shared = Fixtures()
    private let appendLog = Mutex<EventLog?>(nil)
    private let scanLog = Mutex<EventLog?>(nil)

    func forAppend() throws -> EventLog {
        try appendLog.withLock { log in
            if let log { return log }
            let created = try openBenchLog("append")
            log = created
            return created
        }
    }

    func forScan() throws -> EventLog {
        try scanLog.withLock { log in
            if let log { return log }
            let created = try openBenchLog("scan")
            for batch in 0..<(scanEvents / batchSize) { try appendBatch(created, count: batchSize, offset: batch * batchSize) }
            log = created
            return created
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    atexit { try? FileManager.default.removeItem(atPath: benchRoot) }
    let metrics: [BenchmarkMetric] = [.throughput, .wallClock]

    Benchmark(
        "Append 1 KiB events, batches of 1000",
        configuration: .init(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 3000)
    ) { benchmark in
        let log = try Fixtures.shared.forAppend()
        benchmark.startMeasurement()
        try appendBatch(log, count: benchmark.scaledIterations.count, offset: Int(log.headSeq & 0xffff))
        benchmark.stopMeasurement()
    } setup: {
        _ = try Fixtures.shared.forAppend()
    }

    Benchmark(
        "Full replay scan of 1M x 1 KiB events, frames copied out",
        configuration: .init(metrics: metrics, warmupIterations: 1, scalingFactor: .mega, maxDuration: .seconds(5), maxIterations: 20)
    ) { benchmark in
        let log = try Fixtures.shared.forScan()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var checksum = 0
        benchmark.startMeasurement()
        let summary = try log.read { txn in
            try txn.scan(after: 0) { event in
                // What a subscriber does: copy the frame into its outgoing buffer.
                buffer.withUnsafeMutableBytes { out in out.copyMemory(from: event.frame) }
                checksum &+= Int(buffer[20])
                return true
            }
        }
        benchmark.stopMeasurement()
        precondition(summary.delivered == scanEvents, "scanned \(summary.delivered)")
        blackHole(checksum)
    } setup: {
        _ = try Fixtures.shared.forScan()
    }

    Benchmark(
        "Full replay scan of 1M x 1 KiB events, zero-copy frame views",
        configuration: .init(metrics: metrics, warmupIterations: 1, scalingFactor: .mega, maxDuration: .seconds(5), maxIterations: 20)
    ) { benchmark in
        let log = try Fixtures.shared.forScan()
        var checksum = 0
        benchmark.startMeasurement()
        let summary = try log.read { txn in
            try txn.scan(after: 0) { event in
                // Length and one byte of every frame: what a sender needs to hand the bytes to the socket.
                checksum &+= event.frame.count &+ Int(event.frame[20])
                return true
            }
        }
        benchmark.stopMeasurement()
        precondition(summary.delivered == scanEvents, "scanned \(summary.delivered)")
        blackHole(checksum)
    } setup: {
        _ = try Fixtures.shared.forScan()
    }

    Benchmark(
        "Shard 5 of 16 scan over the 1M-event log, frames copied out",
        configuration: .init(metrics: metrics, warmupIterations: 1, scalingFactor: .mega, maxDuration: .seconds(5), maxIterations: 20)
    ) { benchmark in
        let log = try Fixtures.shared.forScan()
        let shard = try ShardFilter(index: 5, count: 16)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var checksum = 0
        benchmark.startMeasurement()
        let summary = try log.read { txn in
            try txn.scan(after: 0, shard: shard) { event in
                buffer.withUnsafeMutableBytes { out in out.copyMemory(from: event.frame) }
                checksum &+= Int(buffer[20])
                return true
            }
        }
        benchmark.stopMeasurement()
        precondition(summary.scanned == scanEvents, "scanned \(summary.scanned)")
        precondition(summary.delivered > scanEvents / 20 && summary.delivered < scanEvents / 12)
        blackHole(checksum)
    } setup: {
        _ = try Fixtures.shared.forScan()
    }

    Benchmark(
        "Random seq lookups in the 1M-event log (1000 per read transaction)",
        configuration: .init(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(3))
    ) { benchmark in
        let log = try Fixtures.shared.forScan()
        let first = Seq.make(epoch: 1, counter: 1)
        var generator = SystemRandomNumberGenerator()
        let seqs = benchmark.scaledIterations.map { _ in first + UInt64.random(in: 0..<UInt64(scanEvents), using: &generator) }
        var total = 0
        benchmark.startMeasurement()
        try log.read { txn in
            for seq in seqs {
                guard let event = try txn.event(seq: seq) else { preconditionFailure("seq \(seq) missing") }
                total &+= event.frame.count
            }
        }
        benchmark.stopMeasurement()
        blackHole(total)
    } setup: {
        _ = try Fixtures.shared.forScan()
    }
}
