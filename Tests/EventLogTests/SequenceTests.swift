import EventLog
import Foundation
import Testing

@Suite("Sequence numbers and epochs (design §3)")
struct SequenceTests {
    @Test func seqsAreOrderedAndGaplessWithinAnEpoch() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir, epoch: 7))
        var assigned: [UInt64] = []
        for batch in 0..<20 {
            assigned += try appendEvents(log, count: 1 + batch * 3, dids: sampleDIDs, start: batch)
        }
        let expected = (1...UInt64(assigned.count)).map { Seq.make(epoch: 7, counter: $0) }
        #expect(assigned == expected)
        #expect(assigned.first == 7 << 40 + 1)
        let stored = try allEvents(log)
        #expect(stored.map(\.seq) == expected)
        // Each stored frame is exactly what the builder produced for that seq.
        for event in stored { #expect(event.frame == testFrame(seq: event.seq, did: event.did)) }
        #expect(log.headSeq == expected.last)
        #expect(try log.read { try $0.oldestSeq() } == expected.first)
        let bounds = try log.bounds()
        #expect(bounds.oldest == expected.first && bounds.head == expected.last && bounds.epoch == 7)
        #expect(try log.events(after: expected[10], limit: 3).map(\.seq) == Array(expected[11...13]))
        #expect(try log.event(seq: expected[5])?.seq == expected[5])
        #expect(try log.read { try $0.eventCount() } == expected.count)
    }

    @Test func emptyLogBounds() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir, epoch: 12))
        let bounds = try log.bounds()
        #expect(bounds.oldest == nil)
        #expect(bounds.head == 12 << 40, "an empty epoch's head is its base, above every older epoch's seqs")
        #expect(try log.events(after: 0, limit: 10).isEmpty)
    }

    @Test func seqsContinueAfterReopen() throws {
        let dir = try TemporaryDirectory()
        var first: [UInt64] = []
        do {
            let log = try EventLog(testConfiguration(dir, epoch: 3))
            first = try appendEvents(log, count: 10, dids: sampleDIDs)
            log.close()
        }
        let log = try EventLog(testConfiguration(dir, epoch: 99))
        #expect(!log.wasCreated)
        #expect(log.epoch == 3, "an existing log keeps its epoch; the configured one is for new logs")
        let second = try appendEvents(log, count: 5, dids: sampleDIDs)
        #expect(second == (11...15).map { Seq.make(epoch: 3, counter: $0) })
        #expect(try allEvents(log).map(\.seq) == first + second)
    }

    @Test func epochBumpMidStreamAndReplayAcrossIt() throws {
        let dir = try TemporaryDirectory()
        let clock = TestClock()
        let log = try EventLog(testConfiguration(dir, epoch: 5, clock: clock))
        let before = try appendEvents(log, count: 25, dids: sampleDIDs)
        let today = EpochClock.dayCount(at: clock.now)
        #expect(today > 6)
        let newEpoch = try log.bumpEpoch()
        #expect(newEpoch == today, "bump goes to max(epoch + 1, today)")
        #expect(log.headSeq == newEpoch << 40)
        let after = try appendEvents(log, count: 25, dids: sampleDIDs)
        #expect(after.first == newEpoch << 40 + 1)
        #expect(after == (1...25).map { Seq.make(epoch: newEpoch, counter: $0) })

        // Replay from 0 and from a cursor in the old epoch crosses the boundary in order, without gaps or repeats.
        let all = try allEvents(log).map(\.seq)
        #expect(all == before + after)
        let fromMiddle = try log.read { try $0.events(after: before[19], limit: 100) }.map(\.seq)
        #expect(fromMiddle == Array(before[20...]) + after)
        // In batches, the way a subscriber reads.
        var cursor: UInt64 = 0
        var replayed: [UInt64] = []
        while true {
            let batch = try log.read { try $0.events(after: cursor, limit: 7) }
            guard let last = batch.last else { break }
            replayed += batch.map(\.seq)
            cursor = last.seq
        }
        #expect(replayed == all)

        // A second bump on the same day moves by one.
        #expect(try log.bumpEpoch() == newEpoch + 1)
        #expect(try EventLog.epochMarker(directory: dir.path) == newEpoch + 1)
    }

    @Test func bumpInsideABatchTransaction() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir, epoch: 2))
        let seqs = try log.write { txn throws in
            let a = try txn.append(kind: .commit, did: "did:plc:a") { testFrame(seq: $0, did: "did:plc:a") }
            let epoch = try txn.bumpEpoch()
            let b = try txn.append(kind: .identity, did: "did:plc:b") { testFrame(seq: $0, did: "did:plc:b") }
            return [a, b, epoch]
        }
        #expect(seqs[0] == 2 << 40 + 1)
        #expect(seqs[1] == seqs[2] << 40 + 1)
        #expect(try allEvents(log).map(\.kind) == [.commit, .identity])
    }

    @Test func defaultEpochIsTheDayCount() throws {
        let dir = try TemporaryDirectory()
        let clock = TestClock(LogTime(Date(timeIntervalSince1970: 1_672_531_200 + 86_400 * 1000 + 5)))
        let log = try EventLog(testConfiguration(dir, epoch: nil, clock: clock))
        #expect(log.epoch == 1000)
        #expect(EpochClock.dayCount(at: LogTime(Date(timeIntervalSince1970: 1_672_531_199))) == 0)
        #expect(EpochClock.dayCount(at: LogTime(Date(timeIntervalSince1970: 1_672_531_200 + 86_399))) == 0)
        #expect(EpochClock.dayCount(at: LogTime(Date(timeIntervalSince1970: 1_672_531_200 + 86_400))) == 1)
    }

    @Test func markerRefusesAnOlderEpochAfterTheFileIsLost() throws {
        let dir = try TemporaryDirectory()
        let clock = TestClock()
        let today = EpochClock.dayCount(at: clock.now)
        do {
            let log = try EventLog(testConfiguration(dir, epoch: nil, clock: clock))
            try appendEvents(log, count: 3, dids: sampleDIDs)
            #expect(try log.bumpEpoch() == today + 1)
            log.close()
        }
        #expect(try EventLog.epochMarker(directory: dir.path) == today + 1)
        // Lose the LMDB file; the marker survives.
        try FileManager.default.removeItem(atPath: dir.file(EventLog.fileName))
        #expect(throws: EventLogError.epochNotAboveMarker(requested: today, marker: today + 1)) {
            try EventLog(testConfiguration(dir, epoch: nil, clock: clock))
        }
        #expect(throws: EventLogError.epochNotAboveMarker(requested: today + 1, marker: today + 1)) {
            try EventLog(testConfiguration(dir, epoch: today + 1, clock: clock))
        }
        // An explicit later epoch, or a later day, is accepted.
        let log = try EventLog(testConfiguration(dir, epoch: today + 2, clock: clock))
        #expect(log.wasCreated)
        #expect(try appendEvents(log, count: 1, dids: sampleDIDs) == [(today + 2) << 40 + 1])
        #expect(try EventLog.epochMarker(directory: dir.path) == today + 2)
    }

    @Test func epochsStayBelow8192() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: EventLogError.epochTooLarge(8192)) { try EventLog(testConfiguration(dir, epoch: 8192)) }
        let log = try EventLog(testConfiguration(dir, epoch: 8191))
        let last = try appendEvents(log, count: 1, dids: sampleDIDs)
        #expect(last == [8191 << 40 + 1])
        #expect(last[0] < 1 << 53)
        #expect(throws: EventLogError.epochTooLarge(8192)) { try log.bumpEpoch() }
        #expect(log.epoch == 8191)
    }

    @Test func failedTransactionLeavesNothing() throws {
        struct Abort: Error {}
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir, epoch: 4))
        try appendEvents(log, count: 2, dids: sampleDIDs)
        #expect(throws: Abort.self) {
            try log.write { txn throws in
                try txn.append(kind: .commit, did: "did:plc:x") { testFrame(seq: $0, did: "did:plc:x") }
                try txn.setHostCursor("pds.example", to: 42)
                try txn.bumpEpoch()
                throw Abort()
            }
        }
        #expect(log.headSeq == 4 << 40 + 2)
        #expect(log.epoch == 4)
        #expect(try log.read { try $0.host("pds.example") } == nil)
        #expect(try appendEvents(log, count: 1, dids: sampleDIDs) == [4 << 40 + 3])
    }

    @Test func rejectsBadDIDs() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        #expect(throws: EventLogError.self) {
            try log.write { txn in try txn.append(kind: .commit, did: "") { _ in [1] } }
        }
        #expect(throws: EventLogError.self) {
            try log.write { txn throws in
                try txn.append(kind: .commit, did: "did:web:" + String(repeating: "a", count: 2100)) { _ in [1] }
            }
        }
        #expect(try log.read { try $0.eventCount() } == 0)
    }
}
