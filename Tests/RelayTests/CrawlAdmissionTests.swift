import EventLog
import Relay
import Simulator
import Testing

/// Public `requestCrawl` admission (design §8): SSRF refusals by default, bans, quota, the PDS probe.
@Suite("Ingest: crawl requests", .serialized)
struct CrawlAdmissionTests {
    @Test("loopback, private, link-local, metadata and local names are refused without --allow-private-hosts",
          arguments: [
              "127.0.0.1", "127.0.0.1:2583", "localhost", "localhost:3000", "pds.localhost", "10.0.0.8",
              "192.168.1.20", "172.16.5.4", "169.254.169.254", "100.64.0.1", "0.0.0.0", "127.1",
              "https://127.0.0.1/", "metadata.google.internal", "127.0.0.1.nip.io",
          ])
    func refusesPrivate(_ hostname: String) async throws {
        try await IngestHarness.with(crawl: false, configure: { $0.allowPrivateHosts = false }) { harness throws in
            await #expect(throws: CrawlRefusal.self) { try await harness.relay.requestCrawl(hostname) }
            do throws(CrawlRefusal) {
                try await harness.relay.requestCrawl(hostname)
            } catch {
                switch error {
                case .forbiddenAddress, .invalidHostname: break
                default: Issue.record("\(hostname): unexpected refusal \(error)")
                }
            }
            #expect(try await harness.relay.listHosts().isEmpty)
        }
    }

    /// Names that are not IP literals but resolve, without any DNS server, to loopback: the numeric forms
    /// `getaddrinfo` accepts (octal, hex, short). They exercise the resolve-then-check path that also stops
    /// DNS-rebinding-style names (a public-looking name whose records point at private addresses).
    @Test("names that resolve to private addresses are refused after resolution",
          arguments: ["0177.0.0.1", "0x7f.0.0.1", "0x7f.1", "0177.1", "127.0.0.01", "10.1", "0xa9.0xfe.0xa9.0xfe"])
    func refusesNamesResolvingPrivate(_ hostname: String) async throws {
        try await IngestHarness.with(crawl: false, configure: { $0.allowPrivateHosts = false }) { harness throws in
            do throws(CrawlRefusal) {
                try await harness.relay.requestCrawl(hostname)
                Issue.record("\(hostname) was admitted")
            } catch {
                guard case .forbiddenAddress(let detail) = error else {
                    Issue.record("\(hostname): unexpected refusal \(error)")
                    return
                }
                // Refused because of where it resolves, not because it did not resolve.
                #expect(!detail.contains("name resolution failed"), "\(hostname): \(detail)")
            }
            #expect(try await harness.relay.listHosts().isEmpty)
        }
    }

    @Test("IPv6 literals, decimal and hex integer forms, and other private ranges are refused",
          arguments: ["[::1]", "[::1]:443", "[fc00::1]", "[fe80::1]", "[::ffff:127.0.0.1]", "2130706433",
                      "0x7f000001", "172.31.255.255", "10.255.255.255", "192.168.0.1:443", "100.127.255.254",
                      "169.254.169.254:80", "0.0.0.0:443", "LOCALHOST", "api.localhost:8080", "255.255.255.255"])
    func refusesOtherForms(_ hostname: String) async throws {
        try await IngestHarness.with(crawl: false, configure: { $0.allowPrivateHosts = false }) { harness throws in
            do throws(CrawlRefusal) {
                try await harness.relay.requestCrawl(hostname)
                Issue.record("\(hostname) was admitted")
            } catch {
                switch error {
                case .forbiddenAddress, .invalidHostname: break
                default: Issue.record("\(hostname): unexpected refusal \(error)")
                }
            }
            #expect(try await harness.relay.listHosts().isEmpty)
        }
    }

    @Test("malformed names are refused", arguments: ["", "no_underscores.example", "[::1]:80", "a b.example", "x"])
    func refusesMalformed(_ hostname: String) async throws {
        try await IngestHarness.with(crawl: false, configure: { $0.allowPrivateHosts = false }) { harness throws in
            await #expect(throws: CrawlRefusal.invalidHostname(hostname)) {
                try await harness.relay.requestCrawl(hostname)
            }
        }
    }

    @Test("a PDS that answers describeServer is admitted and crawled; a dead port is not a PDS")
    func admitsAndCrawls() async throws {
        try await IngestHarness.with(crawl: false) { harness throws in
            let host = harness.network.hosts[0]
            await #expect(throws: CrawlRefusal.self) { try await harness.relay.requestCrawl("127.0.0.1:1") }
            try await harness.relay.requestCrawl(host.hostname)
            guard try await eventually({ host.sequencer.subscriberCount > 0 }) else {
                throw TestFailure("relay did not subscribe to the admitted host")
            }
            let account = try await harness.account()
            try await harness.post(account.did)
            // Asking again is harmless.
            try await harness.relay.requestCrawl(host.hostname)
            #expect(try await harness.relay.listHosts().map(\.hostname) == [host.hostname])
        }
    }

    @Test("the per-day quota, domain bans, host bans and the public switch are enforced")
    func policy() async throws {
        try await IngestHarness.with(hosts: 3, crawl: false, configure: { $0.newHostsPerDay = 1 }) { harness throws in
            let hosts = harness.network.hosts
            try await harness.relay.requestCrawl(hosts[0].hostname)
            await #expect(throws: CrawlRefusal.quotaExceeded) { try await harness.relay.requestCrawl(hosts[1].hostname) }
            try await harness.relay.banDomain("0.0.1")  // matches 127.0.0.1 as a suffix of labels
            await #expect(throws: CrawlRefusal.banned(hosts[2].hostname)) {
                try await harness.relay.requestCrawl(hosts[2].hostname)
            }
            // Banning a domain bans the matching known host and closes its connection.
            let banned = try await harness.relay.listHosts().first { $0.hostname == hosts[0].hostname }
            #expect(banned?.status == "banned")
            guard try await eventually({ hosts[0].sequencer.subscriberCount == 0 }) else {
                throw TestFailure("banned host still connected")
            }
            try await harness.relay.unbanDomain("0.0.1")
            await harness.relay.setPublicCrawl(enabled: false)
            await #expect(throws: CrawlRefusal.disabled) { try await harness.relay.requestCrawl(hosts[2].hostname) }
        }
    }

    @Test("a banned host's events stop; after the unban they are read from the stored cursor")
    func banAndUnban() async throws {
        try await IngestHarness.with { harness throws in
            let host = harness.network.hosts[0]
            let account = try await harness.account()
            try await harness.relay.banHost(host.hostname)
            guard try await eventually({ host.sequencer.subscriberCount == 0 }) else {
                throw TestFailure("banned host still connected")
            }
            let whileBanned = try await harness.network.write(account.did, [.post])
            try await Task.sleep(for: .milliseconds(200))
            #expect(try harness.emitted(account.did).count == 3)
            try await harness.relay.unbanHost(host.hostname)
            let frames = try await harness.waitForEmitted(account.did, count: 4)
            #expect(frames.last?.commitMessage?.rev == whileBanned.rev)
        }
    }
}
