@testable import Firehose
import Synchronization
import Testing

/// The unbuffered handoff between the socket reader and the consumer.
@Suite struct ClientHandoffTests {
    @Test func sendReturnsOnlyAfterTheConsumerAsksAgain() async throws {
        let handoff = EventHandoff<Int>()
        let progress = Mutex<[String]>([])
        let producer = Task {
            for value in 1...3 {
                try await handoff.send(value)
                progress.withLock { $0.append("sent \(value)") }
            }
            handoff.finish()
        }
        let first = await handoff.next()
        #expect(first == 1)
        // The consumer holds 1 and has not asked again: the producer must still be inside send(1).
        try await Task.sleep(for: .milliseconds(100))
        #expect(progress.withLock { $0 }.isEmpty)
        let second = await handoff.next()
        #expect(second == 2)
        #expect(try await eventually { progress.withLock { $0 } == ["sent 1"] })
        try await Task.sleep(for: .milliseconds(50))
        #expect(progress.withLock { $0 } == ["sent 1"])
        #expect(await handoff.next() == 3)
        #expect(await handoff.next() == nil)
        try await producer.value
        #expect(progress.withLock { $0 } == ["sent 1", "sent 2", "sent 3"])
    }

    @Test func finishingWakesBothSides() async throws {
        let handoff = EventHandoff<Int>()
        let producer = Task { try await handoff.send(1) }
        #expect(await handoff.next() == 1)
        handoff.finish()
        await #expect(throws: CancellationError.self) { try await producer.value }
        #expect(await handoff.next() == nil)
        await #expect(throws: CancellationError.self) { try await handoff.send(2) }

        let waiting = EventHandoff<Int>()
        let consumer = Task { await waiting.next() }
        try await Task.sleep(for: .milliseconds(20))
        waiting.finish()
        #expect(await consumer.value == nil)
    }
}
