import EventLog
import Foundation

/// A `tributary serve` child process on free loopback ports, for the crash-recovery test: started on a data
/// directory, polled over HTTP, then killed (SIGKILL) or stopped (SIGTERM).
final class RelayChildProcess {
    /// `GET /xrpc/_health`.
    struct Health: Decodable {
        var headSeq: UInt64
    }

    /// `GET /xrpc/com.atproto.sync.listHosts`.
    struct HostList: Decodable {
        struct Host: Decodable {
            var hostname: String
            var seq: UInt64?
        }
        var hosts: [Host]
    }

    /// What to run it with.
    struct Options {
        var executable: URL
        var dataDirectory: String
        var crawl: [String]
        var plcURL: String
        /// stdout and stderr of every run are appended here (shown when a check fails).
        var outputPath: String
    }

    let process: Process
    let port: Int

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// A child left running by a failed check must not outlive the test.
    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// The `tributary` executable, built next to the test bundle (the build products directory).
    static func executable() -> URL? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        return candidates.map { $0.appendingPathComponent("tributary") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Starts the relay and returns once its HTTP service answers `_health`. A port taken between picking and
    /// binding makes the child exit; it is then started again on new ports (three attempts).
    static func start(_ options: Options) async throws -> RelayChildProcess {
        var lastProblem = ""
        for _ in 0..<3 {
            let port = try LoopbackHTTP.freePort()
            let metricsPort = try LoopbackHTTP.freePort()
            let process = Process()
            process.executableURL = options.executable
            process.arguments = ["serve", "--data-dir", options.dataDirectory, "--listen", "127.0.0.1:\(port)",
                                 "--metrics-listen", "127.0.0.1:\(metricsPort)", "--allow-private-hosts",
                                 "--plc-url", options.plcURL, "--trusted-hosts", "127.0.0.1:*",
                                 "--log-level", "warning"]
                + options.crawl.flatMap { ["--crawl", $0] }
            if !FileManager.default.fileExists(atPath: options.outputPath) {
                _ = FileManager.default.createFile(atPath: options.outputPath, contents: nil)
            }
            guard let output = FileHandle(forWritingAtPath: options.outputPath) else {
                throw TestFailure("cannot open \(options.outputPath)")
            }
            output.seekToEndOfFile()
            output.write(Data("--- serve on port \(port)\n".utf8))
            process.standardOutput = output
            process.standardError = output
            try process.run()
            try? output.close()
            let child = RelayChildProcess(process: process, port: port)
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline, process.isRunning {
                if await child.committedEvents() != nil { return child }
                try await Task.sleep(for: .milliseconds(5))
            }
            if process.isRunning {
                child.kill()
                throw TestFailure("the relay did not answer _health within 30 s")
            }
            lastProblem = "the relay exited at start (status \(process.terminationStatus))"
        }
        throw TestFailure(lastProblem)
    }

    /// Events in the relay's log (the counter of its head seq; the log is gapless within an epoch), nil when it
    /// does not answer.
    func committedEvents() async -> UInt64? {
        await LoopbackHTTP.getJSON(Health.self, port: port, path: "/xrpc/_health").map { Seq.counter(of: $0.headSeq) }
    }

    /// Each host's committed upstream cursor, nil when the relay does not answer.
    func hostCursors() async -> [String: UInt64]? {
        guard let list = await LoopbackHTTP.getJSON(
            HostList.self, port: port, path: "/xrpc/com.atproto.sync.listHosts?limit=1000")
        else { return nil }
        return Dictionary(list.hosts.map { ($0.hostname, $0.seq ?? 0) }, uniquingKeysWith: { first, _ in first })
    }

    /// SIGKILL, then waits for the process to be gone (returns whether it died of the signal).
    @discardableResult
    func kill() -> Bool {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }

    /// SIGTERM (graceful shutdown); returns the exit status, or nil if it had not exited within `limit` (it is
    /// then killed).
    func terminate(within limit: Duration) async throws -> Int32? {
        Foundation.kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            kill()
            return nil
        }
        return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
    }
}
