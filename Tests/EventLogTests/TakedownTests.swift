import EventLog
import Testing

@Suite("Takedown scrubbing")
struct TakedownTests {
    @Test func replaySkipsAScrubbedDIDsRetainedEvents() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        let target = sampleDIDs[5]
        try appendEvents(log, count: 400, dids: sampleDIDs)
        let before = try allEvents(log)
        let targetSeqs = before.filter { $0.did == target }.map(\.seq)
        #expect(targetSeqs.count == 10)

        try log.write { txn in try txn.scrubEvents(of: target) }
        #expect(log.scrubbedDIDCount == 1)
        let after = try allEvents(log)
        #expect(after == before.filter { $0.did != target })
        // Every read path skips them: point reads, ranges, shard scans.
        try log.read { txn throws in
            #expect(try txn.event(seq: targetSeqs[3]) == nil)
            #expect(try txn.events(from: targetSeqs[0], through: targetSeqs[9]).allSatisfy { $0.did != target })
            #expect(try txn.eventCount() == 400, "the events stay stored until retention")
        }
        let shard = try ShardFilter(index: 0, count: 1)
        #expect(try allEvents(log, shard: shard) == after)

        // Events of that DID appended after the takedown are served (the relay decides whether to append them).
        let later = try appendEvents(log, count: 1, dids: [target])
        #expect(try allEvents(log).last?.seq == later[0])
    }

    @Test func scrubSurvivesReopenAndIsDroppedByRetention() throws {
        let dir = try TemporaryDirectory()
        var configuration = testConfiguration(dir)
        configuration.retention = RetentionPolicy(maxAge: nil, maxBytes: 0)
        let target = sampleDIDs[1]
        do {
            let log = try EventLog(configuration)
            try appendEvents(log, count: 100, dids: sampleDIDs)
            try log.write { txn in try txn.scrubEvents(of: target) }
            log.close()
        }
        let log = try EventLog(configuration)
        #expect(log.scrubbedDIDCount == 1)
        #expect(try allEvents(log).allSatisfy { $0.did != target })
        #expect(try allEvents(log).count == 100 - 3)
        try log.prune()
        #expect(log.scrubbedDIDCount == 0, "the mark goes once its events are gone")
        let fresh = try appendEvents(log, count: 2, dids: [target])
        #expect(try allEvents(log).map(\.seq) == fresh)
    }

    @Test func scrubInTheSameTransactionCoversEarlierAppends() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        let target = "did:plc:target"
        try log.write { txn throws in
            try txn.append(kind: .commit, did: target) { testFrame(seq: $0, did: target) }
            try txn.append(kind: .commit, did: "did:plc:other") { testFrame(seq: $0, did: "did:plc:other") }
            try txn.scrubEvents(of: target)
        }
        #expect(try allEvents(log).map(\.did) == ["did:plc:other"])
    }

    @Test func abortedScrubIsNotApplied() throws {
        struct Abort: Error {}
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        try appendEvents(log, count: 50, dids: sampleDIDs)
        #expect(throws: Abort.self) {
            try log.write { txn throws in
                try txn.scrubEvents(of: sampleDIDs[0])
                throw Abort()
            }
        }
        #expect(log.scrubbedDIDCount == 0)
        #expect(try allEvents(log).count == 50)
    }
}
