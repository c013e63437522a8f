import Testing

@testable import Relay

@Suite("Host cursor progress")
struct HostProgressTests {
    @Test("the cursor only passes seqs whose events are all handled")
    func contiguousPrefix() {
        let progress = HostProgress(capacity: 100)
        for seq: UInt64 in [3, 5, 9, 10] { progress.register(seq) }
        #expect(progress.complete(5) == nil)  // 3 still in flight
        #expect(progress.complete(10) == nil)
        #expect(progress.complete(3) == 5)  // 3 and 5 done; 9 still in flight
        #expect(progress.outstanding == 2)  // 9 open, 10 done but behind it
        #expect(progress.complete(9) == 10)
        #expect(progress.outstanding == 0)
        #expect(progress.complete(42) == nil)  // unknown seqs change nothing
    }

    @Test("capacity suspends the reader until an event completes")
    func capacity() async throws {
        let progress = HostProgress(capacity: 2)
        progress.register(1)
        progress.register(2)
        let waiter = Task { await progress.waitForCapacity() }
        try await Task.sleep(for: .milliseconds(50))
        _ = progress.complete(1)
        await waiter.value
        #expect(progress.outstanding == 1)
    }

    @Test("drain waits for every registered event")
    func drain() async throws {
        let progress = HostProgress(capacity: 10)
        progress.register(7)
        progress.register(8)
        let drained = Task { await progress.waitUntilDrained() }
        _ = progress.complete(8)
        #expect(progress.outstanding == 2)  // 8 is done but waits behind 7
        _ = progress.complete(7)
        await drained.value
        #expect(progress.outstanding == 0)
    }

    @Test("long runs compact without losing order")
    func compaction() {
        let progress = HostProgress(capacity: 100_000)
        for seq in 1...20_000 as ClosedRange<UInt64> { progress.register(seq) }
        var last: UInt64?
        for seq in 1...20_000 as ClosedRange<UInt64> { last = progress.complete(seq) ?? last }
        #expect(last == 20_000)
        #expect(progress.outstanding == 0)
    }
}
