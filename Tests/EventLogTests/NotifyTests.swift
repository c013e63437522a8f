import EventLog
import Foundation
import Testing

@Suite("Append notification and log cursors")
struct NotifyTests {
    @Test func waiterWakesOnAppend() async throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        let head = log.headSeq
        let waiter = Task { await log.waitForAppend(after: head) }
        while log.appendNotifier.waiterCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
        let seqs = try appendEvents(log, count: 3, dids: sampleDIDs)
        #expect(await waiter.value == seqs.last)
        // Already beyond: returns at once.
        #expect(await log.waitForAppend(after: head) == seqs.last)
    }

    @Test func cancellationAndCloseWakeWaiters() async throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        let head = log.headSeq
        let cancelled = Task { await log.waitForAppend(after: head) }
        while log.appendNotifier.waiterCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
        cancelled.cancel()
        #expect(await cancelled.value == head)
        let closing = Task { await log.waitForAppend(after: head) }
        while log.appendNotifier.waiterCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
        log.close()
        #expect(await closing.value == head)
        #expect(log.appendNotifier.waiterCount == 0)
    }

    @Test func cursorReplaysThenFollowsLive() async throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        let old = try appendEvents(log, count: 30, dids: sampleDIDs)
        let shard = try ShardFilter(index: 1, count: 2)
        let reader = Task {
            var cursor = LogCursor(log: log, after: 0, shard: shard)
            var seen: [StoredEvent] = []
            while seen.count < 40 {
                let batch = try await cursor.next(limit: 4)
                if batch.isEmpty { break }
                seen += batch
            }
            return seen
        }
        // Live appends while the reader is replaying or sleeping.
        var live: [UInt64] = []
        for round in 0..<60 {
            live += try appendEvents(log, count: 5, dids: sampleDIDs, start: round)
            try await Task.sleep(for: .milliseconds(1))
        }
        let seen = try await reader.value
        let expected = try allEvents(log, shard: shard).prefix(seen.count)
        #expect(seen.count >= 40)
        #expect(seen.map(\.seq) == expected.map(\.seq))
        #expect(seen == Array(expected))
        #expect(old.count + live.count == 330)
    }

    @Test func cursorThatFellBehindRetentionFails() async throws {
        let dir = try TemporaryDirectory()
        var configuration = testConfiguration(dir)
        configuration.retention = RetentionPolicy(maxAge: nil, maxBytes: 0)
        let log = try EventLog(configuration)
        let seqs = try appendEvents(log, count: 20, dids: sampleDIDs)
        var cursor = LogCursor(log: log, after: 0)
        #expect(try await cursor.next(limit: 5).map(\.seq) == Array(seqs[0..<5]))
        try log.prune()
        await #expect(throws: LogCursor.Failure.fellBehind(position: seqs[4], prunedThrough: seqs[19])) {
            try await cursor.next()
        }
        // A cursor that had read everything before the prune is not behind.
        var caughtUp = LogCursor(log: log, after: seqs[19])
        let more = try appendEvents(log, count: 2, dids: sampleDIDs)
        #expect(try await caughtUp.next().map(\.seq) == more)
    }
}
