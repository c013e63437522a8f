import ATData
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// The ingest benchmark's live subscriber: counts `#commit` frames from the relay's firehose and, once asked, records
/// each commit's latency from its upstream `time` (stamped by the simulator at emit) to receipt.
///
/// It reads every byte of every frame over a raw-NIO WebSocket (``BenchSubscriber``) and looks only at the header
/// and, while measuring latency, the body's `time`: a consumer's own decoding is not the relay's work, and on this
/// 2-core machine a full decode of every frame would compete with the relay it measures.
final class BenchFirehoseReader: Sendable {
    private struct State {
        var commits = 0
        var measuring = false
        var latencies: [Int64] = []
    }

    let port: Int
    private let state = Mutex(State())
    private let connection: Mutex<BenchSubscriber?> = Mutex(nil)

    init(port: Int) { self.port = port }

    var commits: Int { state.withLock { $0.commits } }

    /// Subscribes from cursor 0 on `group`.
    func connect(group: EventLoopGroup) async throws {
        let reader = try await BenchSubscriber.connect(
            group: group, port: port, path: "/xrpc/com.atproto.sync.subscribeRepos?cursor=0", deflate: false,
            expectedFrames: Int.max, recordTimes: false, onMessage: { [self] payload in received(payload) })
        connection.withLock { $0 = reader }
    }

    /// Closes the connection.
    func close() async {
        let reader = connection.withLock { $0 }
        await reader?.close()
    }

    private func received(_ frame: [UInt8]) {
        let receivedAt = Date().timeIntervalSince1970
        guard let body = Self.commitBody(frame) else { return }
        let measuring = state.withLock { state -> Bool in
            state.commits += 1
            return state.measuring
        }
        guard measuring, let time = Self.time(frame, body: body), let emitted = try? Datetime(time) else { return }
        let latency = receivedAt * 1e9 - Double(emitted.microsecondsSinceEpoch) * 1e3
        state.withLock { $0.latencies.append(Int64(max(0, latency))) }
    }

    /// Commits received by a point in time (seconds since the wait started).
    struct Progress: Sendable {
        var seconds: Double
        var commits: Int
        /// The process's CPU time then (all threads), in seconds.
        var cpuSeconds: Double
        /// What the caller's `appended` gave then (the relay's log growth).
        var appended: Int
    }

    /// Waits until `count` commits arrived (false after `timeout`), sampling the count (and `appended`) every 5 ms.
    func waitForCommits(_ count: Int, timeout: Duration, appended: () -> Int = { 0 }) async
        -> (reached: Bool, progress: [Progress])
    {
        let start = ContinuousClock.now
        let deadline = start + timeout
        var progress: [Progress] = []
        while true {
            let now = ContinuousClock.now
            let received = commits
            progress.append(Progress(
                seconds: Self.seconds(start.duration(to: now)), commits: received, cpuSeconds: ProcessCPU.seconds(),
                appended: appended()))
            if received >= count { return (true, progress) }
            if now >= deadline { return (false, progress) }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Starts recording latencies from the next commit on.
    func startLatency() { state.withLock { $0.measuring = true } }

    /// The latencies recorded, in nanoseconds.
    func latencies() -> [Int64] { state.withLock { $0.latencies } }

    /// Where the body starts when `frame` is a `#commit` message (header `{op: 1, t: "#commit"}`), else nil.
    static func commitBody(_ frame: [UInt8]) -> Int? {
        do throws(DAGCBORError) {
            var reader = try DAGCBORReader(frame)
            let count = try reader.readMapHeader()
            var previous: Range<Int>?
            var isCommit = false
            for _ in 0..<count {
                let key = try reader.readMapKey(after: previous)
                previous = key
                if reader.key(key, is: "t") {
                    isCommit = reader.key(try reader.readTextRange(), is: "#commit")
                } else {
                    try reader.skipValue()
                }
            }
            return isCommit ? reader.position : nil
        } catch {
            return nil
        }
    }

    /// The body's `time` field.
    static func time(_ frame: [UInt8], body: Int) -> String? {
        FrameBodyField.read(frame, body: body, named: "time") { reader throws(DAGCBORError) in try reader.readString() }
    }
}
