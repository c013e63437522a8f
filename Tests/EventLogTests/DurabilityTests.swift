import EventLog
import Testing

@Suite("Durability modes")
struct DurabilityTests {
    static let modes: [Durability] = [.always, .batch(), .batch(maxDelay: .zero), .periodic(interval: .milliseconds(20))]

    @Test(arguments: modes)
    func committedDataSurvivesReopen(mode: Durability) async throws {
        let dir = try TemporaryDirectory()
        var expected: [UInt64] = []
        do {
            let log = try EventLog(testConfiguration(dir, durability: mode))
            for round in 0..<20 {
                expected += try appendEvents(log, count: 10, dids: sampleDIDs, start: round)
                try log.write { txn in try txn.setHostCursor("h", to: UInt64(round)) }
            }
            try await Task.sleep(for: .milliseconds(50))
            log.close()
        }
        let log = try EventLog(testConfiguration(dir, durability: mode))
        #expect(try allEvents(log).map(\.seq) == expected)
        #expect(try log.read { try $0.host("h") }?.cursor == 19)
    }
}
