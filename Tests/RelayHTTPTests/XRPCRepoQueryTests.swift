import ATData
import EventLog
import Foundation
import Testing
@testable import RelayHTTP

/// `listRepos`, `getLatestCommit`, `getRepoStatus` and `getRepo` over real HTTP against a real LMDB log.
@Suite struct XRPCRepoQueryTests {
    static func rev(_ n: Int) -> String { TID(rawValue: (UInt64(1_700_000_000_000_000) + UInt64(n)) << 10).string }

    static func account(_ n: Int, status: AccountStatus = .active, upstream: AccountStatus = .active,
                        host: String = "pds.example.com", commit: Bool = true, throttled: Bool = false)
        -> AccountState
    {
        AccountState(did: String(format: "did:plc:acct%05d", n), status: status, upstreamStatus: upstream, host: host,
                     rev: commit ? rev(n) : nil, commit: commit ? CID.compute(of: Array("commit \(n)".utf8)) : nil,
                     data: commit ? CID.compute(of: Array("data \(n)".utf8)) : nil, throttled: throttled)
    }

    @Test func listReposCursorWalkReturnsEveryRepoOnce() async throws {
        try await XRPCTestServer.with { server in
            // 1,234 accounts, every seventh without a commit (skipped by listRepos).
            let accounts = (0..<1234).map { Self.account($0, commit: $0 % 7 != 3) }
            try server.log.write { txn in for account in accounts { try txn.putAccount(account) } }
            let expected = accounts.filter { $0.commit != nil }
            #expect(expected.count == 1058)

            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let query = "limit=100" + (cursor.map { "&cursor=\($0)" } ?? "")
                let reply = try await server.get("com.atproto.sync.listRepos", query)
                #expect(reply.status == 200)
                let repos = try #require(reply.json["repos"] as? [[String: Any]])
                #expect(repos.count <= 100)
                for repo in repos {
                    let did = try #require(repo["did"] as? String)
                    let stored = try #require(expected.first { $0.did == did })
                    #expect(repo["head"] as? String == stored.commit?.string)
                    #expect(repo["rev"] as? String == stored.rev)
                    #expect(repo["active"] as? Bool == true)
                    #expect(repo["status"] == nil)
                    #expect(Set(repo.keys) == ["did", "head", "rev", "active"])
                    seen.append(did)
                }
                cursor = reply.json["cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 100
            #expect(pages == 11)
            #expect(seen == expected.map(\.did))
            #expect(Set(seen).count == seen.count)
        }
    }

    @Test func listReposDefaultLimitAndExactLastPage() async throws {
        try await XRPCTestServer.with { server in
            let accounts = (0..<501).map { Self.account($0) }
            try server.log.write { txn in for account in accounts { try txn.putAccount(account) } }
            let first = try await server.get("com.atproto.sync.listRepos")
            #expect((first.json["repos"] as? [Any])?.count == 500)
            #expect(first.json["cursor"] as? String == accounts[499].did)
            let second = try await server.get("com.atproto.sync.listRepos", "cursor=\(accounts[499].did)")
            #expect((second.json["repos"] as? [[String: Any]])?.map { $0["did"] as? String } == [accounts[500].did])
            #expect(second.json["cursor"] == nil)
            // A page that ends exactly at the last repo carries no cursor.
            let exact = try await server.get("com.atproto.sync.listRepos", "limit=1000")
            #expect((exact.json["repos"] as? [Any])?.count == 501)
            #expect(exact.json["cursor"] == nil)
        }
    }

    @Test func listReposScanBudgetKeepsTheWalkComplete() async throws {
        try await XRPCTestServer.with { server in
            // More commit-less accounts than one call scans past, with repos on both sides of them.
            let skipped = SyncQueryPages.scanBudget + 50
            let accounts = (0..<(skipped + 4)).map { Self.account($0, commit: $0 < 2 || $0 >= skipped + 2) }
            try server.log.write { txn in for account in accounts { try txn.putAccount(account) } }
            let first = try await server.get("com.atproto.sync.listRepos", "limit=5")
            let firstDIDs = (first.json["repos"] as? [[String: Any]])?.compactMap { $0["did"] as? String }
            #expect(firstDIDs == [accounts[0].did, accounts[1].did])
            let cursor = try #require(first.json["cursor"] as? String)  // budget spent before the page filled
            let second = try await server.get("com.atproto.sync.listRepos", "limit=5&cursor=\(cursor)")
            let secondDIDs = (second.json["repos"] as? [[String: Any]])?.compactMap { $0["did"] as? String }
            #expect(secondDIDs == [accounts[skipped + 2].did, accounts[skipped + 3].did])
            #expect(second.json["cursor"] == nil)
        }
    }

    @Test func listReposReportsInactiveAccounts() async throws {
        try await XRPCTestServer.with { server in
            try server.log.write { txn in
                try txn.putAccount(Self.account(1, status: .takendown))
                try txn.putAccount(Self.account(2, upstream: .deactivated))
                try txn.putAccount(Self.account(3, throttled: true))
                try txn.putAccount(Self.account(4, status: .suspended, upstream: .deleted))
            }
            let reply = try await server.get("com.atproto.sync.listRepos")
            let repos = try #require(reply.json["repos"] as? [[String: Any]])
            #expect(repos.map { $0["active"] as? Bool } == [false, false, true, false])
            #expect(repos.map { $0["status"] as? String } == ["takendown", "deactivated", "throttled", "suspended"])
        }
    }

    @Test(arguments: ["limit=0", "limit=1001", "limit=-5", "limit=ten", "limit=", "limit=5&limit=6"])
    func listReposRejectsBadLimit(_ query: String) async throws {
        try await XRPCTestServer.with { server in
            let reply = try await server.get("com.atproto.sync.listRepos", query)
            #expect(reply.status == 400)
            #expect(reply.errorName == "InvalidRequest")
            #expect(reply.header("content-type") == "application/json")
        }
    }

    @Test func limitBoundsAreAccepted() async throws {
        try await XRPCTestServer.with { server in
            try server.log.write { txn in for n in 0..<3 { try txn.putAccount(Self.account(n)) } }
            let one = try await server.get("com.atproto.sync.listRepos", "limit=1")
            #expect(one.status == 200)
            #expect((one.json["repos"] as? [Any])?.count == 1)
            let most = try await server.get("com.atproto.sync.listRepos", "limit=1000")
            #expect((most.json["repos"] as? [Any])?.count == 3)
        }
    }

    @Test func getLatestCommitAndErrors() async throws {
        try await XRPCTestServer.with { server in
            try server.log.write { txn in
                try txn.putAccount(Self.account(1))
                try txn.putAccount(Self.account(2, status: .takendown))
                try txn.putAccount(Self.account(3, upstream: .suspended))
                try txn.putAccount(Self.account(4, upstream: .deactivated))
                try txn.putAccount(Self.account(5, upstream: .deleted))
                try txn.putAccount(Self.account(6, commit: false))
                try txn.putAccount(Self.account(7, upstream: .desynchronized))
            }
            let ok = try await server.get("com.atproto.sync.getLatestCommit", "did=did:plc:acct00001")
            #expect(ok.status == 200)
            #expect(ok.json["cid"] as? String == Self.account(1).commit?.string)
            #expect(ok.json["rev"] as? String == Self.rev(1))
            #expect(Set(ok.json.keys) == ["cid", "rev"])
            let desync = try await server.get("com.atproto.sync.getLatestCommit", "did=did:plc:acct00007")
            #expect(desync.status == 200)

            let cases: [(String, Int, String)] = [
                ("did:plc:acct00002", 400, "RepoTakendown"), ("did:plc:acct00003", 400, "RepoSuspended"),
                ("did:plc:acct00004", 400, "RepoDeactivated"), ("did:plc:acct00005", 404, "RepoNotFound"),
                ("did:plc:acct00006", 404, "RepoNotFound"), ("did:plc:unknown", 404, "RepoNotFound"),
                ("not-a-did", 400, "InvalidRequest"), ("did:PLC:x", 400, "InvalidRequest"),
            ]
            for (did, status, error) in cases {
                let reply = try await server.get("com.atproto.sync.getLatestCommit", "did=\(did)")
                #expect(reply.status == status, "\(did)")
                #expect(reply.errorName == error, "\(did)")
            }
            #expect(cases.count == 8)
            let missing = try await server.get("com.atproto.sync.getLatestCommit")
            #expect(missing.status == 400)
            #expect(missing.errorName == "InvalidRequest")
        }
    }

    @Test func getRepoStatusFields() async throws {
        try await XRPCTestServer.with { server in
            try server.log.write { txn in
                try txn.putAccount(Self.account(1))
                try txn.putAccount(Self.account(2, status: .takendown, upstream: .active))
                try txn.putAccount(Self.account(3, upstream: .deactivated))
            }
            let active = try await server.get("com.atproto.sync.getRepoStatus", "did=did:plc:acct00001")
            #expect(active.status == 200)
            #expect(active.json["did"] as? String == "did:plc:acct00001")
            #expect(active.json["active"] as? Bool == true)
            #expect(active.json["rev"] as? String == Self.rev(1))
            #expect(active.json["status"] == nil)

            let takendown = try await server.get("com.atproto.sync.getRepoStatus", "did=did:plc:acct00002")
            #expect(takendown.json["active"] as? Bool == false)
            #expect(takendown.json["status"] as? String == "takendown")
            #expect(takendown.json["rev"] == nil)

            let deactivated = try await server.get("com.atproto.sync.getRepoStatus", "did=did:plc:acct00003")
            #expect(deactivated.json["status"] as? String == "deactivated")

            let unknown = try await server.get("com.atproto.sync.getRepoStatus", "did=did:plc:nobody")
            #expect(unknown.status == 404)
            #expect(unknown.errorName == "RepoNotFound")
            let bad = try await server.get("com.atproto.sync.getRepoStatus", "did=did:plc:")
            #expect(bad.status == 400)
            #expect(bad.errorName == "InvalidRequest")
        }
    }

    @Test func getRepoRedirectsToThePDS() async throws {
        try await XRPCTestServer.with { server in
            try server.log.write { txn in
                try txn.putAccount(Self.account(1, host: "pds.example.com"))
                try txn.putAccount(Self.account(2, host: "127.0.0.1:4100"))
                try txn.putAccount(Self.account(3, status: .takendown))
                try txn.putAccount(AccountState(did: "did:web:example.com%3A8080", host: "[::1]:8443"))
            }
            let public1 = try await server.get("com.atproto.sync.getRepo", "did=did:plc:acct00001")
            #expect(public1.status == 302)
            #expect(public1.header("location")
                == "https://pds.example.com/xrpc/com.atproto.sync.getRepo?did=did:plc:acct00001")

            let since = Self.rev(0)
            let loopback = try await server.get("com.atproto.sync.getRepo", "did=did:plc:acct00002&since=\(since)")
            #expect(loopback.status == 302)
            #expect(loopback.header("location")
                == "http://127.0.0.1:4100/xrpc/com.atproto.sync.getRepo?did=did:plc:acct00002&since=\(since)")

            let web = try await server.get("com.atproto.sync.getRepo", "did=did:web:example.com%253A8080")
            #expect(web.header("location")
                == "http://[::1]:8443/xrpc/com.atproto.sync.getRepo?did=did:web:example.com%253A8080")

            let takendown = try await server.get("com.atproto.sync.getRepo", "did=did:plc:acct00003")
            #expect(takendown.status == 400)
            #expect(takendown.errorName == "RepoTakendown")
            let unknown = try await server.get("com.atproto.sync.getRepo", "did=did:plc:nobody")
            #expect(unknown.status == 404)
            #expect(unknown.errorName == "RepoNotFound")
            let badSince = try await server.get("com.atproto.sync.getRepo", "did=did:plc:acct00001&since=yesterday")
            #expect(badSince.status == 400)
            #expect(badSince.errorName == "InvalidRequest")
        }
    }
}
