import Firehose
import Testing

/// The reconnect schedule and the per-connection seq rule, as pure values.
@Suite struct ClientBackoffTests {
    /// SplitMix64: a tiny deterministic generator so jitter is reproducible.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func nominalDelaysDoubleFromOneSecondToTheFiveMinuteCap() {
        let policy = BackoffPolicy()
        let seconds = (1...12).map { policy.nominalDelay(failures: $0) }
        #expect(seconds == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300].map { Duration.seconds($0) })
        #expect(policy.nominalDelay(failures: 1_000_000) == .seconds(300))
        #expect(policy.nominalDelay(failures: Int.max) == .seconds(300))
        #expect(policy.nominalDelay(failures: 0) == .seconds(1))
    }

    @Test func jitterOnlyShortensAndStaysWithinItsFraction() {
        let policy = BackoffPolicy(initial: .milliseconds(100), maximum: .seconds(10), jitter: 0.25)
        var generator = SeededGenerator(state: 42)
        var distinct = Set<Duration>()
        for failures in 1...12 {
            let nominal = policy.nominalDelay(failures: failures)
            for _ in 0..<200 {
                let delay = policy.delay(failures: failures, using: &generator)
                #expect(delay <= nominal)
                #expect(delay >= nominal * 0.75)
                distinct.insert(delay)
            }
        }
        // The jitter actually varies (a constant would defeat its purpose).
        #expect(distinct.count > 100)
        #expect(policy.delay(failures: 3, unit: 0) == .milliseconds(400))
        #expect(policy.delay(failures: 3, unit: 0.5) == .milliseconds(350))
        #expect(policy.delay(failures: 20, unit: 0.999_999) > .milliseconds(7_500))
    }

    @Test func sameSeedSameDelays() {
        let policy = BackoffPolicy()
        var first = SeededGenerator(state: 7)
        var second = SeededGenerator(state: 7)
        let a = (1...10).map { policy.delay(failures: $0, using: &first) }
        let b = (1...10).map { policy.delay(failures: $0, using: &second) }
        #expect(a == b)
    }

    @Test func zeroJitterIsExactAndOutOfRangeSettingsAreClamped() {
        let exact = BackoffPolicy(initial: .seconds(2), maximum: .seconds(5), jitter: 0)
        var generator = SeededGenerator(state: 1)
        #expect((1...4).map { exact.delay(failures: $0, using: &generator) } == [2, 4, 5, 5].map { Duration.seconds($0) })
        let clamped = BackoffPolicy(initial: .seconds(3), maximum: .seconds(1), jitter: 7)
        #expect(clamped.maximum == .seconds(3))
        #expect(clamped.jitter == 1)
    }

    @Test func backoffCountsFailuresAndResets() {
        var backoff = Backoff(policy: BackoffPolicy(jitter: 0))
        var generator = SeededGenerator(state: 3)
        let delays = (1...4).map { _ in backoff.nextDelay(using: &generator) }
        #expect(delays == [1, 2, 4, 8].map { Duration.seconds($0) })
        #expect(backoff.failures == 4)
        backoff.reset()
        #expect(backoff.failures == 0)
        #expect(backoff.nextDelay(using: &generator) == .seconds(1))
        #expect(backoff.failures == 1)
    }

    @Test func seqOrderAdmitsOnlyIncreasingSeqsAboveTheCursor() {
        var live = SeqOrder(cursor: nil)
        #expect([5, 6, 6, 2, 9].map { live.admit($0) } == [true, true, false, false, true])
        #expect(live.last == 9)
        var resumed = SeqOrder(cursor: 10)
        #expect([10, 9, 11, 11, 12].map { resumed.admit($0) } == [false, false, true, false, true])
        var fromZero = SeqOrder(cursor: 0)
        #expect([1, 0].map { fromZero.admit($0) } == [true, false])
    }
}
