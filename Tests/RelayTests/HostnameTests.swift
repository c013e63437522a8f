import ATIdentity
import Testing

@testable import Relay

@Suite("Host names and globs")
struct HostnameTests {
    @Test("normalizes case, schemes, trailing slash and the default port")
    func normalizes() throws {
        #expect(Hostname("PDS.Example.com")?.value == "pds.example.com")
        #expect(Hostname("https://pds.example.com/")?.value == "pds.example.com")
        #expect(Hostname("wss://pds.example.com:443")?.value == "pds.example.com")
        #expect(Hostname("pds.example.com:2583")?.value == "pds.example.com:2583")
        #expect(Hostname("127.0.0.1:5000")?.value == "127.0.0.1:5000")
        #expect(Hostname("localhost:2583")?.value == "localhost:2583")
    }

    @Test("a DID document's PDS endpoint names the host it reads as, in normal form or not")
    func endpointNamesHost() throws {
        func identity(_ endpoint: String?) -> Identity {
            Identity(did: "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", handle: nil, signingKey: nil, pdsEndpoint: endpoint)
        }
        let host = try #require(Hostname("pds.example.com"))
        let local = try #require(Hostname("127.0.0.1:2583"))
        #expect(identity("https://pds.example.com").pdsHost == "pds.example.com")
        #expect(identity("pds.example.com").pdsHost == nil)
        #expect(identity("https:/").pdsHost == nil)
        #expect(EventValidator.names(identity("https://pds.example.com"), host))
        #expect(EventValidator.names(identity("HTTPS://PDS.Example.com:443/"), host))
        #expect(EventValidator.names(identity("http://127.0.0.1:2583"), local))
        #expect(!EventValidator.names(identity("http://127.0.0.1:2584"), local))
        #expect(!EventValidator.names(identity("https://pds.example.com.evil.net"), host))
        #expect(!EventValidator.names(identity("https://other.example.com"), host))
        #expect(!EventValidator.names(identity("pds.example.com"), host))
        #expect(!EventValidator.names(identity(nil), host))
    }

    @Test("rejects what is not hostname[:port]", arguments: [
        "", "pds", "pds..example.com", "-pds.example.com", "pds-.example.com", "pds.example.com:0",
        "pds.example.com:70000", "pds.example.com:port", "pds.example.com/path", "user@pds.example.com",
        "pds_example.com", "[::1]:80", String(repeating: "a", count: 64) + ".com",
    ])
    func rejects(_ text: String) {
        #expect(Hostname(text) == nil)
    }

    @Test("private names use plain ws/http; public ones TLS")
    func schemes() throws {
        let local = try #require(Hostname("127.0.0.1:5000"))
        #expect(local.isPrivate)
        #expect(local.webSocketBase == "ws://127.0.0.1:5000")
        let privateRange = try #require(Hostname("10.1.2.3"))
        #expect(privateRange.isPrivate)
        let publicHost = try #require(Hostname("pds.example.com"))
        #expect(!publicHost.isPrivate)
        #expect(publicHost.httpBase == "https://pds.example.com")
        #expect(publicHost.webSocketBase == "wss://pds.example.com")
    }

    @Test("domain bans cover the domain and its subdomains only")
    func domains() throws {
        let host = try #require(Hostname("a.pds.example.com"))
        #expect(host.isWithin(domain: "example.com"))
        #expect(host.isWithin(domain: "pds.example.com"))
        #expect(!host.isWithin(domain: "ample.com"))
        #expect(!host.isWithin(domain: "other.com"))
    }

    @Test("globs match with * as any run of characters")
    func globs() {
        #expect(HostGlob("*.host.bsky.network").matches("morel.us-east.host.bsky.network"))
        #expect(!HostGlob("*.host.bsky.network").matches("host.bsky.network.evil.com"))
        #expect(HostGlob("127.0.0.1:*").matches("127.0.0.1:5001"))
        #expect(HostGlob("pds.example.com").matches("pds.example.com"))
        #expect(!HostGlob("pds.example.com").matches("pds.example.com.au"))
        #expect(HostGlob("*").matches("anything"))
        #expect(HostGlob("a*b*c").matches("aXXbYYc"))
        #expect(!HostGlob("a*b*c").matches("aXXbYY"))
    }
}
