import EventLog
import Logging
import Testing

@testable import Relay

@Suite("Ingest log writer")
struct IngestWriterTests {
    @Test("events and the host cursor they allow commit in one transaction; the cursor never passes an open seq")
    func cursorWithEvents() async throws {
        let directory = try ScratchDirectory()
        let log = try openLog(directory)
        defer { log.close() }
        try log.write { txn in try txn.putHost(HostState(hostname: "pds.example.com")) }
        let progress = HostProgress(capacity: 100)
        let writer = IngestWriter(
            log: log, maxBatch: 10, metrics: RelayMetrics(), logger: Logger(label: "test"),
            progress: { $0 == "pds.example.com" ? progress : nil })
        let loop = Task { await writer.run() }
        for seq: UInt64 in 1...4 { progress.register(seq) }

        func event(_ seq: UInt64, emit: Bool) -> IngestChange {
            var change = IngestChange(host: "pds.example.com", upstreamSeq: seq)
            if emit {
                change.append = .init(kind: .identity, did: "did:plc:aaaaaaaaaaaaaaaaaaaaaaa\(seq)") { relaySeq in
                    Array("frame \(seq) as \(relaySeq)".utf8)
                }
            }
            return change
        }

        // Seq 2 finishes first: it is written, but the cursor must stay at 0 (seq 1 is still open).
        let second = try await writer.submit(event(2, emit: true))
        #expect(second != nil)
        #expect(try log.read { try $0.host("pds.example.com")?.cursor } == 0)
        // Seq 1 is a drop: the cursor moves over 1 and 2 together.
        #expect(try await writer.submit(event(1, emit: false)) == nil)
        #expect(try log.read { try $0.host("pds.example.com")?.cursor } == 2)
        // 4 then 3.
        _ = try await writer.submit(event(4, emit: true))
        #expect(try log.read { try $0.host("pds.example.com")?.cursor } == 2)
        _ = try await writer.submit(event(3, emit: true))
        let host = try #require(try log.read { try $0.host("pds.example.com") })
        #expect(host.cursor == 4)
        #expect(host.eventCount == 3)
        let frames = try log.read { try $0.events(after: 0, limit: 10) }.map { String(decoding: $0.frame, as: UTF8.self) }
        #expect(frames.count == 3)
        #expect(frames.first?.hasPrefix("frame 2 as ") == true)
        writer.stop()
        await loop.value
        // After stop, submissions fail instead of hanging.
        await #expect(throws: (any Error).self) { try await writer.submit(event(5, emit: false)) }
    }

    @Test("a small batch waits for the batch window, so changes arriving close together share one transaction")
    func batchWindowGathers() async throws {
        let directory = try ScratchDirectory()
        let log = try openLog(directory)
        defer { log.close() }
        let writer = IngestWriter(
            log: log, maxBatch: 100, batchWindow: .seconds(1), metrics: RelayMetrics(),
            logger: Logger(label: "test"), progress: { _ in nil })
        let loop = Task { await writer.run() }
        let seqs = try await withThrowingTaskGroup(of: UInt64?.self) { group in
            for index in 0..<20 {
                group.addTask {
                    // Spread over ~100 ms: without the window each would commit on its own.
                    try await Task.sleep(for: .milliseconds(5 * index))
                    var change = IngestChange()
                    change.append = .init(kind: .identity, did: "did:plc:aaaaaaaaaaaaaaaaaaaaaa\(index + 10)") { _ in
                        Array("frame \(index)".utf8)
                    }
                    return try await writer.submit(change)
                }
            }
            var seqs: [UInt64] = []
            for try await seq in group { if let seq { seqs.append(seq) } }
            return seqs
        }
        #expect(Set(seqs).count == 20)
        // Each transaction stamps its events with its own time: the 20 events took one transaction (two if a slow
        // machine stretched the spread past the window).
        let events = try log.read { try $0.events(after: 0, limit: 100) }
        #expect(events.count == 20)
        #expect(Set(events.map(\.receivedAt)).count <= 2)
        writer.stop()
        await loop.value
    }

    @Test("a failed write stops the writer: no later batch can move a cursor past the lost events")
    func failedWriteStops() async throws {
        let directory = try ScratchDirectory()
        var configuration = EventLog.Configuration(directory: directory.path)
        configuration.epoch = 1000
        configuration.mapSize = 1 << 20  // 1 MiB: a 2 MB frame cannot fit
        let log = try EventLog(configuration)
        defer { log.close() }
        try log.write { txn in try txn.putHost(HostState(hostname: "pds.example.com")) }
        let progress = HostProgress(capacity: 100)
        let writer = IngestWriter(
            log: log, maxBatch: 1, metrics: RelayMetrics(), logger: Logger(label: "test"),
            progress: { $0 == "pds.example.com" ? progress : nil })
        let loop = Task { await writer.run() }
        progress.register(1)
        progress.register(2)
        var huge = IngestChange(host: "pds.example.com", upstreamSeq: 1)
        huge.append = .init(kind: .commit, did: "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa") { _ in
            [UInt8](repeating: 7, count: 2_000_000)
        }
        await #expect(throws: (any Error).self) { try await writer.submit(huge) }
        // The next event (a drop) would have completed seq 2 and, with seq 1 marked handled, moved the cursor.
        await #expect(throws: (any Error).self) {
            try await writer.submit(IngestChange(host: "pds.example.com", upstreamSeq: 2))
        }
        #expect(try log.read { try $0.host("pds.example.com")?.cursor } == 0)
        #expect(log.eventCount == 0)
        writer.stop()
        await loop.value
    }

    @Test("an enqueued change's account record is visible before its commit, and becomes the committed one after")
    func enqueueStagesAccount() async throws {
        let directory = try ScratchDirectory()
        let log = try openLog(directory)
        defer { log.close() }
        try log.write { txn in try txn.putHost(HostState(hostname: "pds.example.com")) }
        let progress = HostProgress(capacity: 100)
        // A long batch window: the first change is still queued while we look.
        let writer = IngestWriter(
            log: log, maxBatch: 100, batchWindow: .milliseconds(300), metrics: RelayMetrics(),
            logger: Logger(label: "test"), progress: { $0 == "pds.example.com" ? progress : nil })
        let loop = Task { await writer.run() }
        let did = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"
        progress.register(1)
        progress.register(2)
        var first = IngestChange(host: "pds.example.com", upstreamSeq: 1)
        first.account = AccountState(did: did, host: "pds.example.com", rev: "3kaaaaaaaaaa2", hostSeq: 1)
        try writer.enqueue(first)
        #expect(writer.accounts.account(did)?.rev == "3kaaaaaaaaaa2")
        #expect(try log.read { try $0.account(did) } == nil)
        var second = first
        second.upstreamSeq = 2
        second.account?.rev = "3kaaaaaaaaaa3"
        second.account?.hostSeq = 2
        try writer.enqueue(second)
        #expect(writer.accounts.account(did)?.rev == "3kaaaaaaaaaa3")
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while try log.read({ try $0.host("pds.example.com")?.cursor }) != 2, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(try log.read { try $0.account(did)?.rev } == "3kaaaaaaaaaa3")
        #expect(writer.accounts.counts.staged == 0)
        #expect(writer.accounts.account(did)?.rev == "3kaaaaaaaaaa3")
        writer.stop()
        await loop.value
        #expect(throws: EventLogError.self) { try writer.enqueue(IngestChange(host: "pds.example.com", upstreamSeq: 3)) }
    }
}
