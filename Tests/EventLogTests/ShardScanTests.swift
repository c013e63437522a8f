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
}
