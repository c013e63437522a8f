import Foundation
import Testing
import Yams

@testable import tributary

/// `tributary serve --config`: the example file, precedence, and the error lines of bad files.
@Suite struct ConfigFileTests {
    /// The package root (Tests/TributaryTests/<file> → three levels up).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let examplePath = root.appendingPathComponent("deploy/tributary.yaml").path

    /// Writes `text` to a fresh temporary file and returns its path.
    static func temporaryFile(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-config-\(UUID()).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The `serve` command the arguments (after environment and file) parse into.
    static func serve(_ arguments: [String], environment: [String: String] = [:]) throws -> Serve {
        let effective = try ConfigFileDefaults.apply(to: ["serve"] + arguments, environment: environment)
        return try Serve.parse(Array(effective.dropFirst()))
    }

    /// The problems a file produces (the test fails if it parses).
    static func problems(_ text: String) throws -> [ConfigProblem] {
        let path = try temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ConfigFileDefaults.apply(to: ["serve", "--config", path], environment: [:])
        } catch {
            #expect(error.lines.allSatisfy { $0.hasPrefix(path + ": ") })
            return error.problems
        }
        Issue.record("the file was accepted: \(text)")
        return []
    }

    @Test func exampleFileYieldsItsValues() throws {
        let serve = try Self.serve(["--config", Self.examplePath])
        #expect(serve.dataDir == "/var/lib/tributary")
        #expect(serve.listen == "0.0.0.0:2470")
        #expect(serve.metricsListen == "127.0.0.1:2471")
        #expect(serve.epoch == nil)
        #expect(serve.retention.text == "72h")
        #expect(serve.retention.duration == .seconds(72 * 3600))
        #expect(serve.maxLogBytes == 200_000_000_000)
        #expect(serve.sync == .batch)
        #expect(serve.maxSubscribersPerAddress == 16)
        #expect(serve.logLevel == "info")
        #expect(serve.plcUrl == "https://plc.directory")
        #expect(serve.crawl == ["pds.example.com", "pds2.example.net"])
        #expect(serve.allowPrivateHosts == false)
        #expect(serve.lenient == false)
        #expect(serve.defaultAccountLimit == 100)
        #expect(serve.trustedHosts == ["*.host.bsky.network"])
        #expect(serve.newHostsPerDay == 50)
        #expect(serve.newHostCursor == .oldest)
        #expect(serve.noPublicCrawl == false)
        #expect(serve.ingestBatchWindow.duration == .microseconds(500))
        #expect(serve.relayConfiguration.ingestBatchWindow == .microseconds(500))
        #expect(serve.adminToken == nil)
        #expect(serve.config == Self.examplePath)
        // `0` turns the batch window off.
        let immediate = try Self.serve(["--config", Self.examplePath, "--ingest-batch-window", "0"])
        #expect(immediate.relayConfiguration.ingestBatchWindow == .zero)
    }

    @Test func exampleFileNamesEveryOption() throws {
        let text = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        guard case .mapping(let mapping)? = try Yams.compose(yaml: text) else {
            throw TestFailure("the example is not a mapping")
        }
        let keys = Set(mapping.keys.compactMap(\.string))
        #expect(keys == Set(Serve.configFileOptions.map(\.name)))
        #expect(Serve.configFileOptions.count == 21)
    }

    @Test func flagBeatsEnvironmentBeatsFile() throws {
        let path = try Self.temporaryFile("""
            data-dir: /from/file
            listen: 127.0.0.1:1000
            log-level: debug
            sync: periodic
            lenient: true
            crawl: [file.example]
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = ["TRIBUTARY_LISTEN": "127.0.0.1:2000", "TRIBUTARY_LOG_LEVEL": "error",
                           "TRIBUTARY_LENIENT": "0", "TRIBUTARY_CRAWL": "env.example,env2.example"]
        let serve = try Self.serve(["--config", path, "--log-level", "warning"], environment: environment)
        #expect(serve.logLevel == "warning")  // flag > environment > file
        #expect(serve.listen == "127.0.0.1:2000")  // environment > file
        #expect(serve.lenient == false)  // an environment "off" beats the file's true
        #expect(serve.crawl == ["env.example", "env2.example"])
        #expect(serve.dataDir == "/from/file")  // file > default
        #expect(serve.sync == .periodic)
        #expect(serve.metricsListen == "127.0.0.1:2471")  // default
        let fileOnly = try Self.serve(["--config=\(path)"])
        #expect(fileOnly.listen == "127.0.0.1:1000" && fileOnly.lenient && fileOnly.crawl == ["file.example"])
        let flagOverList = try Self.serve(["--config", path, "--crawl", "flag.example"])
        #expect(flagOverList.crawl == ["flag.example"])
    }

    @Test func configFileFromTheEnvironment() throws {
        let serve = try Self.serve([], environment: ["TRIBUTARY_CONFIG": Self.examplePath])
        #expect(serve.dataDir == "/var/lib/tributary")
    }

    @Test func unknownKeysAreNamedWithSuggestions() throws {
        let problems = try Self.problems("data-dri: /x\nbogus: 1\nconfig: other.yaml\n")
        #expect(problems == [
            .unknownKey("data-dri", suggestion: "data-dir"), .unknownKey("bogus", suggestion: nil),
            .unknownKey("config", suggestion: nil),
        ])
    }

    @Test func wrongTypesAndBadValuesGiveOneLineEach() throws {
        let problems = try Self.problems("""
            lenient: "yes please"
            listen: [a, b]
            max-subscribers-per-address: many
            epoch: -3
            retention: forever
            sync: sometimes
            log-level: loud
            plc-url: ftp://plc.example
            admin-token: short
            crawl: {a: 1}
            new-host-cursor: newest
            metrics-listen: localhost
            data-dir: true
            """)
        #expect(problems == [
            .wrongType(key: "lenient", expected: "true or false"),
            .wrongType(key: "listen", expected: "a single value"),
            .badValue(key: "max-subscribers-per-address", value: "many", reason: "expected a non-negative integer"),
            .badValue(key: "epoch", value: "-3", reason: "expected a non-negative integer"),
            .badValue(key: "retention", value: "forever", reason: "expected a duration such as 72h, 30m, 7d or 0"),
            .badValue(key: "sync", value: "sometimes", reason: "expected one of always, batch, periodic"),
            .badValue(key: "log-level", value: "loud",
                      reason: "expected one of trace, debug, info, notice, warning, error, critical"),
            .badValue(key: "plc-url", value: "ftp://plc.example", reason: "expected an http:// or https:// URL"),
            .badValue(key: "admin-token", value: "short", reason: "expected 16–1024 visible ASCII characters"),
            .wrongType(key: "crawl", expected: "a list of values"),
            .badValue(key: "new-host-cursor", value: "newest", reason: "expected one of oldest, live"),
            .badValue(key: "metrics-listen", value: "localhost", reason: "expected host:port (e.g. 0.0.0.0:2470)"),
            .wrongType(key: "data-dir", expected: "a single value, not true/false"),
        ])
        #expect(problems.map(\.description).allSatisfy { !$0.contains("\n") })
    }

    @Test func syntaxErrorsAndMissingFiles() throws {
        #expect(try Self.problems("listen: [unclosed\n").count == 1)
        #expect(try Self.problems("- a list\n- at the top\n") == [
            .syntax("the top level must be a mapping of option: value")
        ])
        #expect(try Self.problems("lenient: true\nlenient: false\n").count == 1)
        let missing = "/nonexistent/tributary-\(UUID()).yaml"
        #expect(throws: ConfigProblems.self) {
            try ConfigFileDefaults.apply(to: ["serve", "--config", missing], environment: [:])
        }
    }

    @Test func emptyAndNullValuesSetNothing() throws {
        let path = try Self.temporaryFile("# nothing\nepoch: null\nmax-log-bytes: ~\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let serve = try Self.serve(["--config", path])
        #expect(serve.epoch == nil && serve.maxLogBytes == nil && serve.dataDir == "./data")
        let empty = try Self.temporaryFile("")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(try Self.serve(["--config", empty]).listen == "0.0.0.0:2470")
    }

    @Test func otherCommandsIgnoreConfig() throws {
        // Only `serve` reads a file; other subcommands get the arguments as they are (plus their environment).
        #expect(try ConfigFileDefaults.apply(to: ["inspect", "cbor", "--config", "x"], environment: [:])
            == ["inspect", "cbor", "--config", "x"])
    }
}
