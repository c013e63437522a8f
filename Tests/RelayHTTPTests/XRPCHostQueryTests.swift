import EventLog
import Foundation
import Synchronization
import Testing
@testable import RelayHTTP

/// `listHosts`, `getHostStatus` and `requestCrawl` over real HTTP against a real LMDB log.
@Suite struct XRPCHostQueryTests {
    static func host(_ n: Int, status: HostStatus = .active) -> HostState {
        HostState(hostname: String(format: "pds%04d.example.com", n), status: status, cursor: UInt64(n * 1000 + 7),
                  accountCount: UInt64(n % 13))
    }

    @Test func listHostsCursorWalkReturnsEveryHostOnce() async throws {
        try await XRPCTestServer.with { server in
            let statuses: [HostStatus] = [.active, .idle, .offline, .throttled, .banned]
            let hosts = (0..<457).map { Self.host($0, status: statuses[$0 % statuses.count]) }
            try server.log.write { txn in for host in hosts { try txn.putHost(host) } }
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let reply = try await server.get("com.atproto.sync.listHosts", cursor.map { "cursor=\($0)" } ?? "")
                #expect(reply.status == 200)
                let entries = try #require(reply.json["hosts"] as? [[String: Any]])
                #expect(entries.count <= 200)
                for entry in entries {
                    let name = try #require(entry["hostname"] as? String)
                    let stored = try #require(hosts.first { $0.hostname == name })
                    #expect(entry["seq"] as? Int == Int(stored.cursor))
                    #expect(entry["accountCount"] as? Int == Int(stored.accountCount))
                    #expect(entry["status"] as? String == stored.status.rawValue)
                    #expect(Set(entry.keys) == ["hostname", "seq", "accountCount", "status"])
                    seen.append(name)
                }
                cursor = reply.json["cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 100
            #expect(pages == 3)  // default limit 200
            #expect(seen == hosts.map(\.hostname))
        }
    }

    @Test(arguments: ["limit=0", "limit=1001", "limit=x", "cursor=" + String(repeating: "a", count: 600)])
    func listHostsRejectsBadParameters(_ query: String) async throws {
        try await XRPCTestServer.with { server in
            let reply = try await server.get("com.atproto.sync.listHosts", query)
            #expect(reply.status == 400)
            #expect(reply.errorName == "InvalidRequest")
        }
    }

    @Test func listHostsLimitBounds() async throws {
        try await XRPCTestServer.with { server in
            try server.log.write { txn in for n in 0..<3 { try txn.putHost(Self.host(n)) } }
            let one = try await server.get("com.atproto.sync.listHosts", "limit=1")
            #expect((one.json["hosts"] as? [Any])?.count == 1)
            #expect(one.json["cursor"] as? String == Self.host(0).hostname)
            let most = try await server.get("com.atproto.sync.listHosts", "limit=1000")
            #expect((most.json["hosts"] as? [Any])?.count == 3)
            #expect(most.json["cursor"] == nil)
        }
    }

    @Test func getHostStatusAndErrors() async throws {
        try await XRPCTestServer.with { server in
            try server.log.write { txn in
                try txn.putHost(Self.host(5, status: .banned))
                try txn.putHost(HostState(hostname: "127.0.0.1:4100", cursor: 42, accountCount: 3))
            }
            let banned = try await server.get("com.atproto.sync.getHostStatus", "hostname=pds0005.example.com")
            #expect(banned.status == 200)
            #expect(banned.json["hostname"] as? String == "pds0005.example.com")
            #expect(banned.json["status"] as? String == "banned")
            #expect(banned.json["seq"] as? Int == 5007)
            #expect(banned.json["accountCount"] as? Int == 5)
            let upper = try await server.get("com.atproto.sync.getHostStatus", "hostname=PDS0005.Example.com")
            #expect(upper.json["hostname"] as? String == "pds0005.example.com")
            let local = try await server.get("com.atproto.sync.getHostStatus", "hostname=127.0.0.1:4100")
            #expect(local.json["seq"] as? Int == 42)

            let unknown = try await server.get("com.atproto.sync.getHostStatus", "hostname=nowhere.example.com")
            #expect(unknown.status == 404)
            #expect(unknown.errorName == "HostNotFound")
            for query in ["", "hostname=", "hostname=https://pds.example.com", "hostname=a%20b"] {
                let reply = try await server.get("com.atproto.sync.getHostStatus", query)
                #expect(reply.status == 400, "\(query)")
                #expect(reply.errorName == "InvalidRequest", "\(query)")
            }
        }
    }

    /// Records every hostname it is asked to crawl; refuses `banned.example.com`.
    final class CountingCrawlHandler: CrawlRequestHandler {
        let requested = Mutex<[String]>([])

        func requestCrawl(hostname: String) async throws(XRPCError) {
            requested.withLock { $0.append(hostname) }
            if hostname == "banned.example.com" { throw XRPCError(.badRequest, "HostBanned", "host is banned") }
        }
    }

    @Test func requestCrawlCallsTheHandler() async throws {
        let handler = CountingCrawlHandler()
        try await XRPCTestServer.with(crawl: handler) { server in
            let ok = try await server.post("com.atproto.sync.requestCrawl", body: #"{"hostname":"pds.example.com"}"#)
            #expect(ok.status == 200)
            let alias = try await server.post("com.atproto.sync.notifyOfUpdate", body: #"{"hostname": " a.example "}"#)
            #expect(alias.status == 200)
            let banned = try await server.post("com.atproto.sync.requestCrawl",
                                               body: #"{"hostname":"banned.example.com"}"#)
            #expect(banned.status == 400)
            #expect(banned.errorName == "HostBanned")
            #expect(handler.requested.withLock { $0 } == ["pds.example.com", "a.example", "banned.example.com"])

            let bad = ["", "{", "[]", #"{"host":"x"}"#, #"{"hostname":5}"#, #"{"hostname":""}"#]
            for body in bad {
                let reply = try await server.post("com.atproto.sync.requestCrawl", body: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.errorName == "InvalidRequest", "\(body)")
            }
            let huge = try await server.post("com.atproto.sync.requestCrawl",
                                             body: #"{"hostname":""# + String(repeating: "a", count: 5000) + #""}"#)
            #expect(huge.status == 413)
            #expect(handler.requested.withLock { $0.count } == 3)
        }
    }

    @Test func requestCrawlWithoutHandlerIsNotImplemented() async throws {
        try await XRPCTestServer.with { server in
            let reply = try await server.post("com.atproto.sync.requestCrawl", body: #"{"hostname":"pds.example.com"}"#)
            #expect(reply.status == 501)
            #expect(reply.errorName == "NotImplemented")
        }
    }
}
