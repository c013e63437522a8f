import EventLog
import Testing

@Suite("Shard scans")
struct ShardScanTests {
    @Test func shardScanEqualsFilteringByRecomputedHash() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        for batch in 0..<10 { try appendEvents(log, count: 97, dids: sampleDIDs, frameSize: 300, start: batch * 7) }
        let all = try allEvents(log)
        #expect(all.count == 970)
        var covered = 0
        for count in [1, 2, 4, 16, 256] {
            var union: [UInt64] = []
            for index in 0..<count {
                let filter = try ShardFilter(index: index, count: count)
                let expected = all.filter { filter.shard(of: ShardHash.of(did: $0.did)) == index }
                let scanned = try allEvents(log, shard: filter)
                #expect(scanned == expected, "\(filter)")
                #expect(scanned.allSatisfy { $0.shardHash == ShardHash.of(did: $0.did) })
                union += scanned.map(\.seq)
            }
            #expect(union.sorted() == all.map(\.seq), "shards of \(count) partition the log")
            covered += 1
        }
        #expect(covered == 5)
    }

    @Test func shardScanResumesFromLastScannedSeq() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        try appendEvents(log, count: 500, dids: sampleDIDs)
        let filter = try ShardFilter(index: 3, count: 16)
        let expected = try allEvents(log, shard: filter).map(\.seq)
        #expect(!expected.isEmpty)
        var cursor: UInt64 = 0
        var seen: [UInt64] = []
        var rounds = 0
        while true {
            rounds += 1
            let summary = try log.read { txn throws in
                try txn.scan(after: cursor, shard: filter, limit: 3, maxScanned: 40) { event in
                    seen.append(event.seq)
                    return true
                }
            }
            if let last = summary.lastScannedSeq { cursor = last }
            if summary.reachedEnd { break }
        }
        #expect(seen == expected)
        #expect(rounds > 10)
    }

    @Test func rangeAndPointReads() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir, epoch: 9))
        let seqs = try appendEvents(log, count: 50, dids: sampleDIDs)
        try log.read { txn throws in
            #expect(try txn.events(from: seqs[10], through: seqs[19]).map(\.seq) == Array(seqs[10...19]))
            #expect(try txn.events(from: 0, through: seqs[2]).map(\.seq) == Array(seqs[0...2]))
            #expect(try txn.event(seq: seqs[33])?.frame == testFrame(seq: seqs[33], did: sampleDIDs[33]))
            #expect(try txn.event(seq: seqs[49] + 1) == nil)
            #expect(try txn.event(seq: 0) == nil)
            #expect(try txn.events(after: seqs[49], limit: 10).isEmpty)
            #expect(try txn.events(after: .max, limit: 10).isEmpty)
        }
    }

    /// A batch larger than a block is split into several blocks; reads starting anywhere inside them are exact.
    @Test func readsAcrossBlockBoundaries() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir, epoch: 9))
        var seqs = try appendEvents(log, count: 1300, dids: sampleDIDs, frameSize: 40)
        seqs += try appendEvents(log, count: 3, dids: sampleDIDs)
        // One event bigger than a block's payload budget gets a block of its own.
        seqs += try appendEvents(log, count: 1, dids: sampleDIDs, frameSize: 300_000)
        seqs += try appendEvents(log, count: 700, dids: sampleDIDs, frameSize: 400)
        #expect(seqs == (1...2004).map { Seq.make(epoch: 9, counter: UInt64($0)) })
        let all = try allEvents(log)
        #expect(all.map(\.seq) == seqs)
        #expect(all[1303].frame.count == 300_000)
        var checked = 0
        try log.read { txn throws in
            for start in [0, 1, 100, 511, 512, 513, 1023, 1024, 1299, 1300, 1302, 1303, 1304, 1500, 2003] {
                let cursor = start == 0 ? 0 : seqs[start - 1]
                let batch = try txn.events(after: cursor, limit: 5)
                #expect(batch.map(\.seq) == Array(seqs[start..<min(start + 5, seqs.count)]), "after index \(start)")
                #expect(try txn.event(seq: seqs[start])?.seq == seqs[start])
                #expect(try txn.event(seq: seqs[start])?.frame == all[start].frame)
                checked += 1
            }
            #expect(try txn.events(from: seqs[500], through: seqs[1400]).map(\.seq) == Array(seqs[500...1400]))
            #expect(try txn.eventCount() == 2004)
        }
        #expect(checked == 15)
    }
}
