import EventLog
import Testing
@testable import RelayHTTP

/// The pure pieces of the sync queries: parameter checks, the redirect URL, the reported account status.
@Suite struct XRPCSyncQueryUnitTests {
    @Test func parametersIgnoreUnknownAndRejectRepeats() throws {
        let parameters = try SyncQueryParameters([("foo", "1"), ("limit", "7"), ("foo", "2")], names: ["limit"])
        #expect(try parameters.limit(default: 500, maximum: 1000) == 7)
        #expect(throws: XRPCError.self) {
            try SyncQueryParameters([("did", "did:plc:a"), ("did", "did:plc:b")], names: ["did"])
        }
        let empty = try SyncQueryParameters([], names: ["limit", "cursor"])
        #expect(try empty.limit(default: 200, maximum: 1000) == 200)
        #expect(try empty.cursor() == nil)
        #expect(try SyncQueryParameters([("cursor", "")], names: ["cursor"]).cursor() == nil)
    }

    @Test func hostnameSyntax() {
        let good = ["pds.example.com", "127.0.0.1:2583", "[::1]:80", "LOCALHOST"]
        let bad = ["", "https://pds.example.com", "pds.example.com/x", "a b", "ü.example",
                   String(repeating: "a", count: 512)]
        #expect(good.filter(SyncQueryParameters.isHostnameSyntax) == good)
        #expect(bad.filter(SyncQueryParameters.isHostnameSyntax).isEmpty)
        #expect(good.count + bad.count == 10)
    }

    @Test func schemeFollowsTheAddress() {
        let plain = ["localhost", "pds.localhost", "127.0.0.1", "127.8.9.1", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                     "192.168.1.1", "169.254.0.9", "::1", "fd12:3456::1", "fe80::1"]
        let secure = ["pds.example.com", "8.8.8.8", "172.32.0.1", "172.15.0.1", "192.169.0.1", "2001:db8::1",
                      "1.2.3", "localhost.example.com", "127.0.0.1.example.com"]
        #expect(plain.filter { !SyncQueryRepoLocation.usesPlainHTTP($0[...]) } == [])
        #expect(secure.filter { SyncQueryRepoLocation.usesPlainHTTP($0[...]) } == [])
        #expect(plain.count == 12 && secure.count == 9)
    }

    @Test func hostPartAndURL() {
        #expect(SyncQueryRepoLocation.hostPart(of: "pds.example.com:443") == "pds.example.com")
        #expect(SyncQueryRepoLocation.hostPart(of: "[fd00::2]:8080") == "fd00::2")
        #expect(SyncQueryRepoLocation.hostPart(of: "[fd00::2]") == "fd00::2")
        for malformed in ["", "a:b", "a:70000", "::1", "[::1", "[]:80", "a:", ":80", "x]:80", "[::1]x"] {
            #expect(SyncQueryRepoLocation.hostPart(of: malformed) == nil, "\(malformed)")
        }
        #expect(SyncQueryRepoLocation.url(host: "10.0.0.5:2583", did: "did:plc:abc", since: nil)
            == "http://10.0.0.5:2583/xrpc/com.atproto.sync.getRepo?did=did:plc:abc")
        #expect(SyncQueryRepoLocation.percentEncoded("did:web:a%3A1 b") == "did:web:a%253A1%20b")
    }

    @Test func accountViewStatus() {
        func view(_ status: AccountStatus, _ upstream: AccountStatus, throttled: Bool = false) -> SyncQueryAccountView {
            SyncQueryAccountView(AccountState(did: "did:plc:x", status: status, upstreamStatus: upstream, host: "h",
                                              throttled: throttled))
        }
        #expect(view(.active, .active).statusField == nil)
        #expect(view(.active, .active).active)
        #expect(view(.active, .active, throttled: true).statusField == "throttled")
        #expect(view(.takendown, .deactivated).statusField == "takendown")
        #expect(!view(.takendown, .active).active)
        #expect(view(.active, .desynchronized).unavailable("did:plc:x") == nil)
        #expect(view(.active, .suspended).unavailable("did:plc:x")?.error == "RepoSuspended")
        #expect(view(.active, .deleted).unavailable("did:plc:x")?.status == .notFound)
        #expect(view(.active, AccountStatus(rawValue: "future")).unavailable("did:plc:x")?.error == "RepoNotFound")
    }
}
