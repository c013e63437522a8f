import EventLog
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization
import Testing

/// The real `tributary serve` binary stops cleanly on SIGTERM: subscribers get a WebSocket close frame, the process
/// exits 0 promptly, and the log reopens with every event.
@Suite struct GracefulShutdownTests {
    /// The `tributary` executable, built next to the test bundle (the build products directory).
    static func tributaryExecutable() -> URL? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        return candidates.map { $0.appendingPathComponent("tributary") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Collects a child's output lines on a background thread (so it never blocks on a full pipe).
    final class OutputLines: Sendable {
        private let lines = Mutex<[String]>([])

        init(_ handle: FileHandle) {
            Thread { [self] in
                var pending: [UInt8] = []
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    pending += chunk
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: pending[..<newline], as: UTF8.self)
                        lines.withLock { $0.append(line) }
                        pending.removeSubrange(...newline)
                    }
                }
            }.start()
        }

        var snapshot: [String] { lines.withLock { $0 } }

        /// The port of the relay's "listening" log line, once printed.
        var listeningPort: Int? {
            for line in snapshot where line.contains("listening") {
                guard let range = line.range(of: "port=") else { continue }
                let digits = line[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return port }
            }
            return nil
        }
    }

    final class Received: Sendable {
        let count = Mutex(0)
    }

    @Test func sigtermClosesSubscribersAndExitsZero() async throws {
        let executable = try #require(Self.tributaryExecutable(), "tributary must be built next to the tests")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tributary-shutdown-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = EventLog.Configuration(directory: directory)
        configuration.epoch = 1000
        let appended: [UInt64]
        do {
            let log = try EventLog(configuration)
            appended = try SubscribeReposTests.append(log, count: 100)
            log.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--data-dir", directory, "--listen", "127.0.0.1:0",
                             "--metrics-listen", "127.0.0.1:0", "--log-level", "info"]
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TRIBUTARY_") }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let lines = OutputLines(output.fileHandleForReading)
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var port: Int?
        #expect(await ConsumerTooSlowTests.eventually(timeout: .seconds(30)) {
            port = lines.listeningPort
            return port != nil || !process.isRunning
        })
        let relayPort = try #require(port, "no listening line: \(lines.snapshot)")

        // A subscriber replays everything, then waits for live events; SIGTERM arrives while it is connected.
        let received = Received()
        let pid = process.processIdentifier
        let close = try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(relayPort)/xrpc/com.atproto.sync.subscribeRepos?cursor=0",
            configuration: .init(maxFrameSize: 1 << 20), logger: FirehoseTestClient.logger
        ) { inbound, _, _ in
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .binary = message else { continue }
                let count = received.count.withLock { count in
                    count += 1
                    return count
                }
                if count == appended.count { kill(pid, SIGTERM) }
            }
        }
        #expect(received.count.withLock { $0 } == appended.count)
        #expect(close?.closeCode == .normalClosure, "the server sends a close frame on shutdown")

        #expect(await ConsumerTooSlowTests.eventually(timeout: .seconds(10)) { !process.isRunning },
                "exits promptly after SIGTERM")
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0, "\(lines.snapshot)")

        let reopened = try EventLog(configuration)
        defer { reopened.close() }
        #expect(try reopened.events(after: 0, limit: 1_000).map(\.seq) == appended)
    }
}
