import Synchronization
import Testing

@testable import Relay

@Suite("Per-DID ordering and host rate limits")
struct SerializerAndLimiterTests {
    @Test("work of one DID runs in order; a stalled DID does not hold up another")
    func ordering() async throws {
        let serializer = DIDSerializer()
        let order = Mutex<[String]>([])
        let gate = AsyncStream.makeStream(of: Void.self)
        serializer.submit("did:plc:slow") {
            for await _ in gate.stream { break }
            order.withLock { $0.append("slow-1") }
        }
        serializer.submit("did:plc:slow") { order.withLock { $0.append("slow-2") } }
        for index in 1...50 {
            serializer.submit("did:plc:fast") { order.withLock { $0.append("fast-\(index)") } }
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while order.withLock({ $0.count }) < 50, clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(order.withLock { $0 } == (1...50).map { "fast-\($0)" })
        gate.continuation.yield()
        while order.withLock({ $0.count }) < 52, clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(order.withLock { Array($0.suffix(2)) } == ["slow-1", "slow-2"])
        while serializer.activeCount > 0, clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(serializer.activeCount == 0)
    }

    @Test("workers are reused across DIDs, each DID stays in order, and idle workers beyond the limit end")
    func workerPool() async throws {
        let serializer = DIDSerializer(maxWorkers: 4, maxIdleWorkers: 2)
        let perDID = Mutex<[String: [Int]]>([:])
        let running = Mutex((now: 0, most: 0))
        let dids = (0..<20).map { "did:plc:pool\($0)" }
        for index in 0..<25 {
            for did in dids {
                serializer.submit(did) {
                    running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                    await Task.yield()
                    perDID.withLock { $0[did, default: []].append(index) }
                    running.withLock { $0.now -= 1 }
                }
            }
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while serializer.activeCount > 0, clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(perDID.withLock { $0 } == Dictionary(uniqueKeysWithValues: dids.map { ($0, Array(0..<25)) }))
        // Never more work at once than the worker cap.
        #expect(running.withLock { $0.most } <= 4)
        while serializer.workerCount > 2, clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(serializer.workerCount <= 2)
        // Parked workers pick up new work.
        let done = Mutex(false)
        serializer.submit("did:plc:late") { done.withLock { $0 = true } }
        while !done.withLock({ $0 }), clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(done.withLock { $0 })
        // Closing ends the parked workers; work submitted afterwards still runs.
        serializer.close()
        while serializer.workerCount > 0, clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(serializer.workerCount == 0)
        let after = Mutex(false)
        serializer.submit("did:plc:afterclose") { after.withLock { $0 = true } }
        while !after.withLock({ $0 }), clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(after.withLock { $0 })
    }

    @Test("limits scale with the account limit; trusted hosts get the trusted rate and no hour/day cap")
    func limits() {
        let base = HostRateLimiter.Limits.forHost(accountLimit: 100, defaultAccountLimit: 100, base: 50, trusted: 5000)
        #expect(base == .init(perSecond: 50, perHour: 5000, perDay: 50_000))
        let bigger = HostRateLimiter.Limits.forHost(
            accountLimit: 10_000, defaultAccountLimit: 100, base: 50, trusted: 5000)
        #expect(bigger.perSecond == 5000)
        let trusted = HostRateLimiter.Limits.forHost(accountLimit: nil, defaultAccountLimit: 100, base: 50, trusted: 5000)
        #expect(trusted == .init(perSecond: 5000, perHour: nil, perDay: nil))
    }

    @Test("a host over its per-second budget waits instead of losing events")
    func waits() async throws {
        let limiter = HostRateLimiter(limits: .init(perSecond: 20, perHour: nil, perDay: nil))
        var waited = false
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<30 { waited = try await limiter.acquire() > .zero || waited }
        // 20 from the full bucket, 10 more at 20/s: about half a second.
        #expect(waited)
        #expect(start.duration(to: clock.now) >= .milliseconds(400))
    }
}
