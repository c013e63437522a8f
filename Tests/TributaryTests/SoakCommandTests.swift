import Testing

@testable import tributary

/// `tributary bench soak` end to end, kept short: simulated hosts, the relay and raw consumers in this process. The
/// command itself fails (throws) on any lost, duplicated or reordered event, a disconnected consumer or a drop.
@Suite("bench soak") struct SoakCommandTests {
    @Test("a short soak delivers every event to every consumer exactly once, in order")
    func shortSoak() async throws {
        let command = try BenchSoak.parse([
            "--duration", "4s", "--rate", "100", "--subscribers", "3", "--hosts", "2", "--accounts", "10",
            "--report-every", "2s", "--retention", "1m",
        ])
        try await command.run()
    }
}
