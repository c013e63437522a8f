import EventLog
import Foundation
import Synchronization
import Testing

/// Kills a writer process with SIGKILL at random moments and checks that the log reopens cleanly with every
/// batch the writer reported as committed present exactly once.
@Suite("Crash safety")
struct CrashTests {
    static let kills = 24

    /// The child executable, built next to the test bundle (the build products directory).
    static func writerExecutable() -> URL? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        return candidates.map { $0.appendingPathComponent("EventLogCrashWriter") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Collects complete stdout lines of the child on a background thread, so the child never blocks on a full
    /// pipe.
    final class LineCollector: Sendable {
        private let lines = Mutex<[String]>([])
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            let thread = Thread { [self] in
                var pending: [UInt8] = []
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    pending += chunk
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: pending[..<newline], as: UTF8.self)
                        lines.withLock { $0.append(line) }
                        pending.removeSubrange(...newline)
                    }
                }
                // A partial last line (killed mid-write) is ignored: that batch was not reported.
                done.signal()
            }
            thread.start()
        }

        var snapshot: [String] { lines.withLock { $0 } }

        func waitForEOF() -> [String] {
            done.wait()
            return snapshot
        }
    }

    struct Parsed: Equatable {
        var batch: UInt64
        var index: Int
        var count: Int
        var seq: UInt64
    }

    static func parse(_ event: StoredEvent) -> Parsed? {
        let text = String(decoding: event.frame.prefix(120), as: UTF8.self)
        var fields: [String: String] = [:]
        for part in text.split(separator: " ").prefix(4) {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard let batch = fields["batch"].flatMap(UInt64.init), let index = fields["index"].flatMap(Int.init),
              let count = fields["count"].flatMap(Int.init), let seq = fields["seq"].flatMap(UInt64.init)
        else { return nil }
        return Parsed(batch: batch, index: index, count: count, seq: seq)
    }

    /// Opens the log in-process, checks every invariant and returns the last batch id in it.
    static func verify(directory: String, reported: Set<UInt64>) throws -> UInt64 {
        var configuration = EventLog.Configuration(directory: directory)
        configuration.mapSize = 1 << 32
        configuration.retention = RetentionPolicy(maxAge: nil)
        let log = try EventLog(configuration)
        defer { log.close() }
        let events = try log.read { txn in try txn.events(after: 0, limit: .max) }
        var batches: [UInt64: [Parsed]] = [:]
        var order: [UInt64] = []
        var previous: UInt64 = 0
        for event in events {
            let parsed = try #require(parse(event), "unreadable frame at seq \(event.seq)")
            #expect(parsed.seq == event.seq, "frame built for the seq it was stored under")
            // Gapless within an epoch; a new epoch starts at counter 1.
            if previous != 0 {
                if Seq.epoch(of: event.seq) == Seq.epoch(of: previous) {
                    #expect(event.seq == previous + 1, "gap after \(previous)")
                } else {
                    #expect(Seq.epoch(of: event.seq) > Seq.epoch(of: previous))
                    #expect(Seq.counter(of: event.seq) == 1)
                }
            }
            previous = event.seq
            if batches[parsed.batch] == nil { order.append(parsed.batch) }
            batches[parsed.batch, default: []].append(parsed)
        }
        // Batches are contiguous, complete, in order, each exactly once.
        #expect(order == order.sorted(), "batches out of order")
        let lastBatch = order.last ?? 0
        #expect(order == Array(1...max(lastBatch, 1)).filter { _ in lastBatch > 0 }, "batch ids must be 1…last")
        for (batch, parts) in batches {
            let count = parts[0].count
            #expect(parts.map(\.index) == Array(0..<count), "batch \(batch) is partial or duplicated")
        }
        for batch in reported { #expect(batches[batch] != nil, "reported batch \(batch) is missing") }
        // The host cursor committed with the last batch.
        #expect(try log.read { try $0.host("crash.test") }?.cursor ?? 0 == lastBatch)
        if lastBatch > 0 { #expect(try log.read { try $0.account("did:plc:crashlast") }?.rev == "\(lastBatch)") }
        #expect(log.headSeq == previous || events.isEmpty || Seq.counter(of: log.headSeq) == 0)
        return lastBatch
    }

    @Test(.timeLimit(.minutes(10)))
    func killedWriterLosesNoCommittedBatch() throws {
        let executable = try #require(Self.writerExecutable(), "EventLogCrashWriter not found next to the tests")
        let dir = try TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        var reported = Set<UInt64>()
        var lastBatch: UInt64 = 0
        var runsThatCommitted = 0
        let modes = ["batch", "always", "periodic"]
        for run in 0..<Self.kills {
            let process = Process()
            process.executableURL = executable
            process.arguments = [dir.path, modes[run % modes.count], "\(UInt64.random(in: 1...UInt64.max, using: &generator))"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let collector = LineCollector(pipe.fileHandleForReading)
            // Every fourth run dies early, possibly while opening; the others after a random stretch of writing.
            let delay = run % 4 == 3
                ? Double.random(in: 0.0...0.03, using: &generator)
                : Double.random(in: 0.05...0.4, using: &generator)
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "run \(run): the writer exited on its own")
            let lines = collector.waitForEOF()
            var committedThisRun = Set<UInt64>()
            for line in lines where line.hasPrefix("committed ") {
                let id = try #require(UInt64(line.dropFirst("committed ".count)))
                #expect(!reported.contains(id), "batch \(id) reported twice")
                committedThisRun.insert(id)
            }
            if let ready = lines.first(where: { $0.hasPrefix("ready ") }) {
                // The writer resumed from the cursor of the last committed batch.
                #expect(UInt64(ready.dropFirst("ready ".count)) == lastBatch)
            }
            reported.formUnion(committedThisRun)
            if !committedThisRun.isEmpty { runsThatCommitted += 1 }
            let last = try Self.verify(directory: dir.path, reported: reported)
            #expect(last >= lastBatch)
            // In one run at most one batch can be committed without being reported (killed between commit and
            // print): the run started after `lastBatch` and reported up to `committedThisRun.max()`.
            #expect(last <= max(committedThisRun.max() ?? 0, lastBatch) + 1)
            lastBatch = last
        }
        #expect(runsThatCommitted >= Self.kills / 2, "most runs must get to commit batches")
        #expect(reported.count > 100)
    }
}
