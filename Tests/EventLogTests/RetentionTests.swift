import EventLog
import Foundation
import Testing

@Suite("Retention and the time index")
struct RetentionTests {
    @Test func deletesByAgeInBoundedTransactions() throws {
        let dir = try TemporaryDirectory()
        let clock = TestClock()
        var configuration = testConfiguration(dir, clock: clock)
        configuration.retention = RetentionPolicy(maxAge: .seconds(3600), deletionsPerTransaction: 250)
        let log = try EventLog(configuration)
        // 10 hours, 120 events per hour.
        var seqsByHour: [[UInt64]] = []
        for _ in 0..<10 {
            seqsByHour.append(try appendEvents(log, count: 120, dids: sampleDIDs))
            clock.advance(.seconds(3600))
        }
        // now = start + 10 h: events of hours 0…8 are older than 1 h; hour 9 is exactly 1 h old and stays.
        let report = try log.prune()
        #expect(report.deletedEvents == 9 * 120)
        // Each hour is one write batch, i.e. one block of 120 events: two blocks fit in 250 deletions.
        #expect(report.transactions == 5, "≤ 250 deletions per transaction")
        #expect(report.oldestSeq == seqsByHour[9].first)
        #expect(try allEvents(log).map(\.seq) == seqsByHour[9])
        #expect(log.prunedThrough == seqsByHour[8].last)
        #expect(try log.prune().deletedEvents == 0)
        // Appends continue normally afterwards.
        let more = try appendEvents(log, count: 5, dids: sampleDIDs)
        #expect(more.first == (seqsByHour[9].last ?? 0) + 1)
    }

    @Test func deletesBySize() throws {
        let dir = try TemporaryDirectory()
        var configuration = testConfiguration(dir)
        configuration.retention = RetentionPolicy(maxAge: nil, maxBytes: 100_000, deletionsPerTransaction: 37)
        let log = try EventLog(configuration)
        // 40 batches of 10 events of 1000 bytes: 40 blocks of about 10.8 KB.
        for batch in 0..<40 { try appendEvents(log, count: 10, dids: sampleDIDs, frameSize: 1000, start: batch * 10) }
        #expect(log.storedBytes > 400_000)
        #expect(log.eventCount == 400)
        let report = try log.prune()
        #expect(log.storedBytes <= 100_000)
        #expect(log.storedBytes > 100_000 - 11_000, "deletes only what is needed (whole blocks)")
        let remaining = try allEvents(log)
        #expect(remaining.count == 400 - report.deletedEvents)
        #expect(UInt64(remaining.count) == log.eventCount)
        #expect(remaining.last?.seq == log.headSeq, "the newest events stay")
        #expect(report.deletedEvents % 10 == 0)
        #expect(report.transactions == (report.deletedEvents / 10 + 2) / 3, "3 blocks of 10 per 37 deletions")
        // The byte counter matches what is stored (block header, table, DIDs, frames, key), and survives a reopen.
        var counted: UInt64 = 0
        for start in stride(from: 0, to: remaining.count, by: 10) {
            let block = remaining[start..<min(start + 10, remaining.count)]
            counted += 16 + 8 + UInt64(block.count * 32)
            counted += block.reduce(UInt64(0)) { $0 + UInt64($1.did.utf8.count + $1.frame.count) }
        }
        #expect(counted == log.storedBytes)
        let stored = log.storedBytes
        log.close()
        let reopened = try EventLog(configuration)
        #expect(reopened.storedBytes == stored)
        #expect(reopened.eventCount == UInt64(remaining.count))
    }

    @Test func freedPagesAreReused() throws {
        let dir = try TemporaryDirectory()
        var configuration = testConfiguration(dir)
        configuration.retention = RetentionPolicy(maxAge: nil, maxBytes: 2_000_000)
        let log = try EventLog(configuration)
        func fileSize() throws -> Int {
            try FileManager.default.attributesOfItem(atPath: log.path)[.size] as? Int ?? 0
        }
        for round in 0..<5 {
            try appendEvents(log, count: 2000, dids: sampleDIDs, frameSize: 1000, start: round)
            try log.prune()
        }
        let settled = try fileSize()
        for round in 0..<10 {
            try appendEvents(log, count: 2000, dids: sampleDIDs, frameSize: 1000, start: round)
            try log.prune()
        }
        // 20 MB more were written; the file may grow a little for freelist churn, not by the data volume.
        #expect(try fileSize() < settled + 4_000_000)
        #expect(log.storedBytes <= 2_000_000)
    }

    @Test func firstSeqAtOrAfterTime() throws {
        let dir = try TemporaryDirectory()
        let clock = TestClock()
        let start = clock.now
        let log = try EventLog(testConfiguration(dir, clock: clock))
        var seqAtSecond: [UInt64] = []
        for second in 0..<50 {
            // Several events share each timestamp.
            let seqs = try appendEvents(log, count: 3, dids: sampleDIDs, receivedAt: start.adding(.seconds(second * 2)))
            seqAtSecond.append(seqs[0])
        }
        try log.read { txn throws in
            #expect(try txn.firstSeq(atOrAfter: start.adding(.seconds(-5))) == seqAtSecond[0])
            #expect(try txn.firstSeq(atOrAfter: start) == seqAtSecond[0])
            #expect(try txn.firstSeq(atOrAfter: start.adding(.seconds(20))) == seqAtSecond[10])
            #expect(try txn.firstSeq(atOrAfter: start.adding(.seconds(21))) == seqAtSecond[11])
            #expect(try txn.firstSeq(atOrAfter: start.adding(.seconds(98))) == seqAtSecond[49])
            #expect(try txn.firstSeq(atOrAfter: start.adding(.seconds(99))) == nil)
        }
        // A receive time earlier than the last is clamped, so time never runs backwards along the log.
        let late = try appendEvents(log, count: 1, dids: sampleDIDs, receivedAt: start)
        #expect(try log.read { try $0.event(seq: late[0]) }?.receivedAt == start.adding(.seconds(98)))
        // After pruning by age the index still answers with retained seqs.
        clock.set(start.adding(.seconds(60 + 3600)))
        var policy = RetentionPolicy(maxAge: .seconds(3600))
        policy.deletionsPerTransaction = 10
        try log.prune(policy: policy)
        try log.read { txn throws in
            #expect(try txn.oldestSeq() == seqAtSecond[30])
            #expect(try txn.firstSeq(atOrAfter: start) == seqAtSecond[30])
            #expect(try txn.firstSeq(atOrAfter: start.adding(.seconds(61))) == seqAtSecond[31])
        }
    }
}

@Suite("Background retention")
struct BackgroundRetentionTests {
    @Test func runRetentionPrunesUntilCancelled() async throws {
        let dir = try TemporaryDirectory()
        let clock = TestClock()
        var configuration = testConfiguration(dir, clock: clock)
        configuration.retention = RetentionPolicy(maxAge: .seconds(60), deletionsPerTransaction: 10)
        let log = try EventLog(configuration)
        for batch in 0..<20 { try appendEvents(log, count: 5, dids: sampleDIDs, start: batch) }
        clock.advance(.seconds(120))
        let fresh = try appendEvents(log, count: 5, dids: sampleDIDs)
        let task = Task { await log.runRetention(every: .milliseconds(5)) }
        var waited = 0
        while log.eventCount > 5 && waited < 2000 {
            try await Task.sleep(for: .milliseconds(5))
            waited += 1
        }
        task.cancel()
        await task.value
        #expect(try allEvents(log).map(\.seq) == fresh)
        #expect(log.prunedThrough == fresh[0] - 1)
    }
}
