import Firehose
import Testing

@testable import tributary

@Suite("tail command line")
struct TailArgumentTests {
    /// The settings of a command line, or the one-line reason it is refused.
    func settings(_ arguments: [String]) throws -> Result<TailSettings, TailArgumentError> {
        let command = try Tail.parse(arguments)
        do throws(TailArgumentError) {
            return .success(try command.settings())
        } catch {
            return .failure(error)
        }
    }

    func reason(_ arguments: [String]) throws -> String? {
        if case .failure(let error) = try settings(arguments) { return error.reason }
        return nil
    }

    @Test("options map onto the subscription URL and the settings")
    func options() throws {
        let parsed = try settings([
            "https://relay.example.com", "--cursor", "42", "--shards", "16", "--shard", "3", "--strip-proofs",
            "--json", "--count", "5", "--verify", "--plc-url", "http://127.0.0.1:2582", "--allow-private-hosts",
        ])
        let all = try parsed.get()
        #expect(all.subscription.url(cursor: all.subscription.cursor)
            == "wss://relay.example.com/xrpc/com.atproto.sync.subscribeRepos?cursor=42&shards=16&shard=3&stripProofs=true")
        #expect(all.json && all.count == 5)
        #expect(all.verification == .init(plcURL: "http://127.0.0.1:2582", allowPrivateHosts: true))
        let plain = try settings(["ws://127.0.0.1:2470/"]).get()
        #expect(plain.subscription.url(cursor: nil) == "ws://127.0.0.1:2470/xrpc/com.atproto.sync.subscribeRepos")
        #expect(plain.verification == nil && plain.count == nil && !plain.json)
    }

    @Test("bad arguments are refused with one line")
    func refusals() throws {
        let cases: [([String], String)] = [
            (["ftp://x"], "invalid URL ftp://x: use ws://, wss://, http:// or https://"),
            (["ws://host/xrpc/foo"], "invalid URL ws://host/xrpc/foo: give only the base URL, without /xrpc/foo"),
            (["ws://host:99999"], "invalid URL ws://host:99999: invalid port 99999"),
            (["ws://host", "--shards", "3", "--shard", "0"],
             "--shards must be a power of two in 1...256 and --shard in 0..<shards (got 3, 0)"),
            (["ws://host", "--shards", "4", "--shard", "4"],
             "--shards must be a power of two in 1...256 and --shard in 0..<shards (got 4, 4)"),
            (["ws://host", "--shards", "4"], "--shards and --shard go together"),
            (["ws://host", "--cursor=-1"], "--cursor must not be negative"),
            (["ws://host", "--count", "0"], "--count must be at least 1"),
            (["ws://host", "--verify", "--plc-url", "plc.directory"], "--plc-url must be an http(s) URL"),
        ]
        for (arguments, expected) in cases {
            let reason = try reason(arguments)
            #expect(reason == expected, "\(arguments)")
            #expect(reason?.contains("\n") == false)
        }
        #expect(cases.count == 9)
        #expect(throws: (any Error).self) { try Tail.parse([]) }
        #expect(throws: (any Error).self) { try Tail.parse(["ws://host", "--cursor", "abc"]) }
    }

    @Test("flags also come from TRIBUTARY_<FLAG>; the command line wins")
    func environment() throws {
        let arguments = EnvironmentDefaults.apply(
            to: ["tail", "ws://host", "--count", "2"],
            environment: ["TRIBUTARY_COUNT": "9", "TRIBUTARY_JSON": "1", "TRIBUTARY_VERIFY": "yes",
                          "TRIBUTARY_PLC_URL": "http://127.0.0.1:1", "TRIBUTARY_STRIP_PROOFS": "0"])
        #expect(arguments == ["tail", "ws://host", "--count", "2", "--json", "--verify", "--plc-url",
                              "http://127.0.0.1:1"])
        let fromEnvironment = try settings(Array(arguments.dropFirst())).get()
        #expect(fromEnvironment.count == 2 && fromEnvironment.json && !fromEnvironment.subscription.stripProofs)
        #expect(fromEnvironment.verification?.plcURL == "http://127.0.0.1:1")
    }
}
