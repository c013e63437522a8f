import Foundation
import Testing

@testable import tributary

/// `tributary serve --print-config`, documentation of every option, and the real binary's exit statuses.
@Suite struct PrintConfigTests {
    @Test func printedConfigurationRedactsTheTokenAndReadsBack() throws {
        let token = "s3cret-token-0123456789"
        let serve = try Serve.parse([
            "--data-dir", "/srv/relay", "--crawl", "a.example", "--crawl", "b.example", "--lenient",
            "--retention", "7d", "--max-log-bytes", "1000", "--admin-token", token, "--sync", "always",
        ])
        let yaml = EffectiveConfiguration(serve).yaml
        #expect(!yaml.contains(token))
        #expect(yaml.contains("# admin-token: <set; redacted>"))
        for option in Serve.configFileOptions {
            #expect(yaml.contains("\n\(option.name): ") || yaml.contains("# \(option.name): "), "\(option.name)")
        }
        let path = try ConfigFileTests.temporaryFile(yaml)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let read = try ConfigFileTests.serve(["--config", path])
        #expect(read.dataDir == "/srv/relay" && read.crawl == ["a.example", "b.example"] && read.lenient)
        #expect(read.retention.text == "7d" && read.maxLogBytes == 1000 && read.sync == .always)
        #expect(read.adminToken == nil && read.epoch == nil && read.trustedHosts.isEmpty)
        #expect(EffectiveConfiguration(read).yaml.replacingOccurrences(of: "admin-token: null", with: "")
            .split(separator: "\n").count == yaml.split(separator: "\n").count)
    }

    @Test func everyServeOptionIsDocumented() throws {
        let readme = try String(contentsOf: ConfigFileTests.root.appendingPathComponent("README.md"), encoding: .utf8)
        let guide = try String(
            contentsOf: ConfigFileTests.root.appendingPathComponent("docs/operating.md"), encoding: .utf8)
        for option in Serve.environmentOptions {
            #expect(readme.contains("`--\(option.name)"), "README.md does not document --\(option.name)")
            #expect(guide.contains(option.name), "docs/operating.md does not mention \(option.name)")
        }
        #expect(readme.contains("`--print-config`"))
        #expect(readme.contains("docs/operating.md") && readme.contains("docs/consumers.md"))
    }

    /// Runs the built `tributary` with `arguments`; returns status, stdout and stderr.
    static func run(_ arguments: [String]) throws -> (Int32, String, String) {
        let executable = try #require(Self.executable(), "tributary is not built next to the tests")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TRIBUTARY_") }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self),
                String(decoding: errors, as: UTF8.self))
    }

    static func executable() -> URL? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        return candidates.map { $0.appendingPathComponent("tributary") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    @Test func binaryPrintsTheExampleAndRefusesABadFile() throws {
        let (status, output, _) = try Self.run(
            ["serve", "--config", ConfigFileTests.examplePath, "--listen", "127.0.0.1:9999", "--print-config"])
        #expect(status == 0)
        #expect(output.contains("data-dir: \"/var/lib/tributary\"\n"))
        #expect(output.contains("listen: \"127.0.0.1:9999\"\n"))
        #expect(output.contains("crawl: [\"pds.example.com\", \"pds2.example.net\"]\n"))
        let bad = try ConfigFileTests.temporaryFile("sync: never\nlistn: x\nlenient: 3\n")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let (badStatus, badOutput, errors) = try Self.run(["serve", "--config", bad, "--print-config"])
        #expect(badStatus == 78)
        #expect(badOutput.isEmpty)
        let lines = errors.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasPrefix("tributary serve: \(bad): ") })
        #expect(lines.first?.hasSuffix("'sync': bad value 'never': expected one of always, batch, periodic") == true)
        #expect(lines.dropFirst().first?.hasSuffix("unknown key 'listn' (did you mean 'listen'?)") == true)
    }
}
