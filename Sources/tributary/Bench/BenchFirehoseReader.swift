import ATData
import Firehose
import Foundation
import Synchronization

/// The benchmark's live subscriber: counts `#commit` frames from the relay's firehose and, once asked, records
/// each commit's latency from its upstream `time` (stamped by the simulator at emit) to receipt.
final class BenchFirehoseReader: Sendable {
    private struct State {
        var commits = 0
        var measuring = false
        var latencies: [Int64] = []
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    let port: Int
    private let state = Mutex(State())

    init(port: Int) { self.port = port }

    var commits: Int { state.withLock { $0.commits } }

    /// Reads from cursor 0 until cancelled.
    func run() async {
        guard let subscription = try? FirehoseSubscription(url: "ws://127.0.0.1:\(port)", cursor: 0) else { return }
        for await event in FirehoseClient(subscription: subscription).events() {
            guard case .frame(.commit(let commit), _) = event else { continue }
            let received = Date().timeIntervalSince1970
            let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.commits += 1
                if state.measuring, let emitted = try? Datetime(commit.time) {
                    let latency = received * 1e9 - Double(emitted.microsecondsSinceEpoch) * 1e3
                    state.latencies.append(Int64(max(0, latency)))
                }
                let due = state.waiters.filter { $0.count <= state.commits }
                state.waiters.removeAll { $0.count <= state.commits }
                return due.map(\.continuation)
            }
            for continuation in ready { continuation.resume() }
        }
    }

    /// Waits until `count` commits arrived; false after `timeout`.
    func waitForCommits(_ count: Int, timeout: Duration) async -> Bool {
        let waiter = Task {
            await withCheckedContinuation { continuation in
                let done = state.withLock { state -> Bool in
                    if state.commits >= count { return true }
                    state.waiters.append((count, continuation))
                    return false
                }
                if done { continuation.resume() }
            }
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if commits >= count { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        let reached = commits >= count
        if !reached {
            let stale = state.withLock { state in
                defer { state.waiters.removeAll() }
                return state.waiters.map(\.continuation)
            }
            for continuation in stale { continuation.resume() }
        }
        await waiter.value
        return reached
    }

    /// Starts recording latencies from the next commit on.
    func startLatency() { state.withLock { $0.measuring = true } }

    /// The latencies recorded, in nanoseconds.
    func latencies() -> [Int64] { state.withLock { $0.latencies } }
}
