import ATIdentity
import ArgumentParser
import Firehose
import Foundation
import Logging

/// `tributary tail URL`: prints a relay's or PDS's firehose, one line per event.
struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a relay's or PDS's firehose, one line per event (optionally verifying every #commit).",
        discussion: """
            URL is the host's base: ws[s]://host[:port] or http[s]://host[:port]. Events go to stdout (a compact \
            line, or one JSON object per line with --json); connection notes, reconnects, #info notices \
            (OutdatedCursor) and errors go to stderr. The client reconnects with backoff and resumes after the last \
            printed event. --verify resolves each committing DID (--plc-url) and checks the signature and, unless \
            --strip-proofs, the full Sync 1.1 proof; a stripped stream can only be checked for the signature. \
            Every option can also be set as TRIBUTARY_<OPTION>. See docs/firehose.md.
            """)

    static let environmentOptions: [EnvironmentDefaults.Option] = [
        .init(name: "cursor", isFlag: false), .init(name: "shards", isFlag: false),
        .init(name: "shard", isFlag: false), .init(name: "strip-proofs", isFlag: true),
        .init(name: "json", isFlag: true), .init(name: "count", isFlag: false), .init(name: "verify", isFlag: true),
        .init(name: "plc-url", isFlag: false), .init(name: "allow-private-hosts", isFlag: true),
    ]

    @Argument(help: "The relay or PDS: ws[s]://host[:port] or http[s]://host[:port].")
    var url: String

    @Option(help: "Start after this seq (0: everything the host retains; default: live only).")
    var cursor: Int64?

    @Option(help: "Number of shards (a power of two, 1...256); use with --shard.")
    var shards: Int?

    @Option(help: "This consumer's shard (0 <= shard < shards).")
    var shard: Int?

    @Flag(help: "Ask for proof-stripped commits (Tributary extension): smaller, but --verify checks only signatures.")
    var stripProofs = false

    @Flag(help: "One JSON object per line instead of the compact line.")
    var json = false

    @Option(help: "Exit (status 0) after this many events.")
    var count: Int?

    @Flag(help: "Verify each #commit against its account's key from the DID document.")
    var verify = false

    @Option(help: "PLC directory used by --verify to resolve did:plc identities.")
    var plcUrl = ATIdentity.defaultPLCURL

    @Flag(help: "Let --verify resolve identities on loopback/private hosts over http (local PLC, simulator).")
    var allowPrivateHosts = false

    /// The checked settings, or the one-line reason the command line is wrong.
    func settings() throws(TailArgumentError) -> TailSettings {
        if let cursor, cursor < 0 { throw TailArgumentError(reason: "--cursor must not be negative") }
        if let count, count < 1 { throw TailArgumentError(reason: "--count must be at least 1") }
        var selection: ShardSelection?
        switch (shards, shard) {
        case (nil, nil): break
        case (let count?, let index?):
            do {
                selection = try ShardSelection(count: count, index: index)
            } catch {
                throw TailArgumentError(
                    reason: "--shards must be a power of two in 1...256 and --shard in 0..<shards (got \(count), \(index))")
            }
        default: throw TailArgumentError(reason: "--shards and --shard go together")
        }
        let subscription: FirehoseSubscription
        do {
            subscription = try FirehoseSubscription(
                url: url, cursor: cursor, shard: selection, stripProofs: stripProofs)
        } catch {
            throw TailArgumentError(reason: "invalid URL \(url): " + Self.describe(error))
        }
        var settings = TailSettings(subscription: subscription, json: json, count: count)
        if verify {
            let lower = plcUrl.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
                throw TailArgumentError(reason: "--plc-url must be an http(s) URL")
            }
            settings.verification = .init(plcURL: plcUrl, allowPrivateHosts: allowPrivateHosts)
        }
        return settings
    }

    func run() async throws {
        let settings: TailSettings
        do {
            settings = try self.settings()
        } catch {
            Self.printError(error.reason)
            throw ExitCode(2)
        }
        var logger = Logger(label: "tributary.tail") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let resolver = settings.verification.map { Self.resolver(for: $0) }
        let checker = resolver.map {
            CommitChecker(directory: IdentityDirectory(resolver: $0), stripped: settings.subscription.stripProofs)
        }
        let runner = TailRunner(settings: settings, checker: checker, logger: logger)
        let outcome = await InterruptSignals.cancelOnInterrupt { try await runner.run(.standard) }
        try? await resolver?.shutdown()
        switch outcome {
        case .success: return
        case .failure(let error as TailFailure):
            Self.printError(error.reason)
        case .failure(let error):
            Self.printError("\(error)")
        }
        throw ExitCode(1)
    }

    /// A resolver for `--verify` (one HTTP pool for the whole run).
    static func resolver(for verification: TailSettings.Verification) -> IdentityResolver {
        IdentityResolver(configuration: ResolverConfiguration(
            plcURL: verification.plcURL, allowPrivateHosts: verification.allowPrivateHosts,
            userAgent: "tributary-tail"))
    }

    static func printError(_ reason: String) {
        FileHandle.standardError.write(Data("tributary tail: \(reason)\n".utf8))
    }

    static func describe(_ error: FirehoseSubscriptionError) -> String {
        switch error {
        case .unsupportedScheme: "use ws://, wss://, http:// or https://"
        case .missingHost: "no host"
        case .invalidPort(let port): "invalid port \(port)"
        case .unexpectedPath(let path): "give only the base URL, without \(path)"
        case .invalidShard(let count, let index): "invalid shard \(index) of \(count)"
        }
    }
}

extension TailSink {
    /// Event lines to stdout, notes to stderr (`tail: …`), each written at once so pipes see them live.
    static let standard = TailSink(
        line: { text in try FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8)) },
        note: { text in FileHandle.standardError.write(Data("tail: \(text)\n".utf8)) })
}
