import Firehose
import Testing

/// Subscription URLs: parsing the base, the query our relay understands, encoding, and rejected inputs.
@Suite struct ClientSubscriptionTests {
    static let path = "/xrpc/com.atproto.sync.subscribeRepos"

    @Test func buildsTheEndpointURLWithCursorAndExtensions() throws {
        let plain = try FirehoseSubscription(url: "wss://bsky.network")
        #expect(plain.secure && plain.host == "bsky.network" && plain.port == nil)
        #expect(plain.url(cursor: nil) == "wss://bsky.network" + Self.path)
        #expect(plain.url(cursor: 0) == "wss://bsky.network" + Self.path + "?cursor=0")

        let full = try FirehoseSubscription(
            url: "ws://127.0.0.1:2470/", cursor: 42, shard: try ShardSelection(count: 16, index: 9), stripProofs: true,
            extraParameters: [QueryParameter(name: "x y", value: "a&b=c/é")])
        #expect(!full.secure && full.port == 2470 && full.cursor == 42)
        #expect(full.url(cursor: 7) == "ws://127.0.0.1:2470" + Self.path
            + "?cursor=7&shards=16&shard=9&stripProofs=true&x%20y=a%26b%3Dc%2F%C3%A9")
    }

    @Test func acceptsHTTPSchemesAndIPv6Literals() throws {
        let https = try FirehoseSubscription(url: "HTTPS://Example.com:8443")
        #expect(https.secure && https.host == "Example.com" && https.port == 8443)
        let http = try FirehoseSubscription(url: "http://pds.local")
        #expect(!http.secure)
        let v6 = try FirehoseSubscription(url: "ws://[::1]:9000")
        #expect(v6.host == "::1" && v6.port == 9000)
        #expect(v6.url(cursor: 1) == "ws://[::1]:9000" + Self.path + "?cursor=1")
    }

    @Test func rejectsWhatIsNotABaseURL() {
        let cases: [(String, FirehoseSubscriptionError)] = [
            ("ftp://host", .unsupportedScheme("ftp://host")),
            ("host:443", .unsupportedScheme("host:443")),
            ("ws://", .missingHost),
            ("ws://:80", .missingHost),
            ("ws://host:0", .invalidPort("0")),
            ("ws://host:65536", .invalidPort("65536")),
            ("ws://host:http", .invalidPort("http")),
            ("ws://host:+80", .invalidPort("+80")),
            ("ws://[::1", .missingHost),
            ("ws://[::1]x", .invalidPort("x")),
            ("wss://host/xrpc/com.atproto.sync.subscribeRepos", .unexpectedPath("/xrpc/com.atproto.sync.subscribeRepos")),
            ("wss://host?cursor=1", .unexpectedPath("host?cursor=1")),
            ("wss://user@host", .unexpectedPath("user@host")),
        ]
        var checked = 0
        for (url, expected) in cases {
            #expect(throws: expected) { try FirehoseSubscription(url: url) }
            checked += 1
        }
        #expect(checked == 13)
    }

    @Test func shardSelectionFollowsTheRelayRules() throws {
        #expect(try ShardSelection(count: 1, index: 0).count == 1)
        #expect(try ShardSelection(count: 256, index: 255).index == 255)
        for (count, index) in [(0, 0), (3, 0), (512, 0), (4, 4), (4, -1), (-2, 0)] {
            #expect(throws: FirehoseSubscriptionError.invalidShard(count: count, index: index)) {
                try ShardSelection(count: count, index: index)
            }
        }
    }
}
