import EventLog
import Foundation
import NIOHTTP1
import Relay
@testable import RelayHTTP
import Testing

/// The admin endpoints call through to the relay and answer the documented JSON and statuses (docs/admin.md).
@Suite(.serialized) struct AdminRoutesTests {
    static let did = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"

    @Test func hostsAddBanUnbanAndLimits() async throws {
        try await AdminTestServer.with { server in
            let client = server.client()
            #expect(try await client.listHosts().isEmpty)
            try server.putHosts([HostState(hostname: "b.example.com", status: .active, cursor: 42, accountCount: 7,
                                           eventCount: 99)])
            let added = try await client.addHost("a.example.com")
            #expect(added.hostname == "a.example.com")
            #expect(added.status == "idle")
            #expect(added.accountLimit == 100)
            let hosts = try await client.listHosts()
            #expect(hosts.map(\.hostname) == ["a.example.com", "b.example.com"])
            #expect(hosts[1].cursor == 42 && hosts[1].accountCount == 7 && hosts[1].eventCount == 99)

            #expect(try await client.setHostBanned("b.example.com", true) == AdminHostBan(hostname: "b.example.com",
                                                                                              banned: true))
            #expect(try server.log.host("b.example.com")?.status == .banned)
            #expect(try await client.setHostBanned("b.example.com", false).banned == false)
            #expect(try server.log.host("b.example.com")?.status == .idle)

            // A number sets the limit, null returns to the default, absent leaves it alone.
            var view = try await client.setHostLimits(.init(hostname: "a.example.com", accountLimit: 5, trusted: nil))
            #expect(view.accountLimit == 5 && view.trusted == false)
            #expect(try server.log.host("a.example.com")?.accountLimit == 5)
            view = try await client.setHostLimits(.init(hostname: "a.example.com", accountLimit: nil, trusted: true))
            #expect(view.trusted && view.accountLimit == nil)
            #expect(try server.log.host("a.example.com")?.accountLimit == 5)
            view = try await client.setHostLimits(.init(hostname: "a.example.com", accountLimit: .some(nil),
                                                        trusted: false))
            #expect(view.accountLimit == 100 && view.trusted == false)
            #expect(try server.log.host("a.example.com")?.accountLimit == nil)

            // Raw JSON: `null` reaches the relay as "default".
            let raw = try await server.authorized(.POST, "/admin/hosts/limits",
                                                  body: #"{"hostname":"b.example.com","accountLimit":null}"#)
            #expect(raw.status == 200)
            #expect(raw.json["hostname"] as? String == "b.example.com")
            #expect(raw.header("Content-Type") == "application/json")
        }
    }

    @Test func relayErrorsMapToStatuses() async throws {
        try await AdminTestServer.with { server in
            let client = server.client()
            await #expect(throws: AdminClientError.server(status: 404, error: "NotFound",
                                                          message: "no host nowhere.example.com")) {
                try await client.setHostBanned("nowhere.example.com", true)
            }
            await #expect(throws: AdminClientError.server(status: 403, error: "Forbidden",
                                                          message: "localhost is not public")) {
                try await client.addHost("localhost")
            }
            await #expect(throws: AdminClientError.server(status: 404, error: "NotFound",
                                                          message: "no account \(Self.did)")) {
                try await client.account(did: Self.did)
            }
            // The mapping of every case, including failed → 500.
            let cases: [(RelayAdminError, Int, String)] = [
                (.notFound("x"), 404, "NotFound"), (.invalid("x"), 400, "InvalidRequest"),
                (.forbidden("x"), 403, "Forbidden"), (.failed("x"), 500, "InternalError"),
            ]
            for (failure, status, name) in cases {
                let error = AdminJSON.error(for: failure)
                #expect(Int(error.status.code) == status && error.error == name && error.message == "x")
            }
            #expect(cases.count == 4)
        }
    }

    @Test func inputIsValidated() async throws {
        try await AdminTestServer.with { server in
            let bad: [(String, String, Int, String)] = [
                ("/admin/hosts", "", 400, "InvalidRequest"),
                ("/admin/hosts", "{", 400, "InvalidRequest"),
                ("/admin/hosts", "[]", 400, "InvalidRequest"),
                ("/admin/hosts", "{}", 400, "InvalidRequest"),
                ("/admin/hosts", #"{"hostname":7}"#, 400, "InvalidRequest"),
                ("/admin/hosts", #"{"hostname":"  "}"#, 400, "InvalidRequest"),
                ("/admin/hosts", #"{"hostname":"https://pds.example.com/"}"#, 400, "InvalidRequest"),
                ("/admin/hosts", "{\"hostname\":\"\(String(repeating: "a", count: 301))\"}", 400, "InvalidRequest"),
                ("/admin/hosts/limits", #"{"hostname":"a.example.com","accountLimit":-1}"#, 400, "InvalidRequest"),
                ("/admin/hosts/limits", #"{"hostname":"a.example.com","accountLimit":"many"}"#, 400,
                 "InvalidRequest"),
                ("/admin/hosts/limits", #"{"hostname":"a.example.com","trusted":"yes"}"#, 400, "InvalidRequest"),
                ("/admin/domains/ban", #"{"domain":"bad domain"}"#, 400, "InvalidRequest"),
                ("/admin/accounts/takedown", #"{"did":"not-a-did"}"#, 400, "InvalidRequest"),
                ("/admin/accounts/restore", #"{"did":"did:PLC:x"}"#, 400, "InvalidRequest"),
                ("/admin/public-crawl", #"{"enabled":"on"}"#, 400, "InvalidRequest"),
                ("/admin/hosts", "{\"hostname\":\"\(String(repeating: "a", count: 17_000))\"}", 413,
                 "PayloadTooLarge"),
            ]
            for (path, body, status, name) in bad {
                let reply = try await server.authorized(.POST, path, body: body)
                #expect(reply.status == status, "\(path) \(body.prefix(80))")
                #expect(reply.errorName == name, "\(path) \(body.prefix(80))")
                #expect(reply.json["message"] is String)
            }
            #expect(bad.count == 16)
            let missing = try await server.authorized(.GET, "/admin/account")
            #expect(missing.status == 400 && missing.errorName == "InvalidRequest")
            let badDID = try await server.authorized(.GET, "/admin/account?did=nope")
            #expect(badDID.status == 400 && badDID.errorName == "InvalidRequest")
            // Nothing was stored by the refused requests.
            #expect(try await server.client().listHosts().isEmpty)
            #expect(await server.administration.publicCrawlEnabled())
        }
    }

    @Test func domainBans() async throws {
        try await AdminTestServer.with { server in
            let client = server.client()
            try server.putHosts([HostState(hostname: "pds.spam.example"), HostState(hostname: "ok.example.org")])
            #expect(try await client.setDomainBanned("spam.example", true) == AdminDomainBan(domain: "spam.example",
                                                                                                banned: true))
            #expect(try await client.setDomainBanned("other.example", true).banned)
            #expect(try await client.listDomainBans() == ["other.example", "spam.example"])
            #expect(try server.log.host("pds.spam.example")?.status == .banned)
            #expect(try server.log.host("ok.example.org")?.status == .active)
            #expect(try await client.setDomainBanned("spam.example", false).banned == false)
            #expect(try await client.listDomainBans() == ["other.example"])
            await #expect(throws: AdminClientError.server(status: 404, error: "NotFound",
                                                          message: "domain spam.example is not banned")) {
                try await client.setDomainBanned("spam.example", false)
            }
        }
    }

    @Test func takedownRestoreAndAccountState() async throws {
        try await AdminTestServer.with { server in
            let client = server.client()
            try server.log.write { txn in
                try txn.putAccount(AccountState(did: Self.did, upstreamStatus: .deactivated, host: "pds.example.com",
                                                rev: "3l3qo2vutsw2b"))
            }
            var account = try await client.account(did: Self.did)
            #expect(account.status == "active" && account.upstreamStatus == "deactivated")
            #expect(account.effectiveStatus == "deactivated" && account.active == false)
            #expect(account.host == "pds.example.com" && account.rev == "3l3qo2vutsw2b" && account.commit == nil)

            #expect(try await client.setTakendown(did: Self.did, true) == AdminTakedown(did: Self.did, takendown: true))
            #expect(try server.log.account(Self.did)?.status == .takendown)
            #expect(server.log.scrubbedDIDCount == 1)
            account = try await client.account(did: Self.did)
            #expect(account.status == "takendown" && account.effectiveStatus == "takendown")

            #expect(try await client.setTakendown(did: Self.did, false).takendown == false)
            #expect(try server.log.account(Self.did)?.status == .active)
            await #expect(throws: AdminClientError.server(status: 404, error: "NotFound",
                                                          message: "no account did:plc:bbbbbbbbbbbbbbbbbbbbbbbb")) {
                try await client.setTakendown(did: "did:plc:bbbbbbbbbbbbbbbbbbbbbbbb", true)
            }
            // A did:web with a percent-encoded port survives the query string.
            try server.log.write { txn in
                try txn.putAccount(AccountState(did: "did:web:localhost%3A8080", host: "localhost:8080"))
            }
            #expect(try await client.account(did: "did:web:localhost%3A8080").did == "did:web:localhost%3A8080")
        }
    }

    @Test func epochAndPublicCrawl() async throws {
        try await AdminTestServer.with { server in
            let client = server.client()
            let before = server.log.epoch
            let epoch = try await client.bumpEpoch()
            #expect(epoch > before)
            #expect(server.log.epoch == epoch)
            #expect(Seq.epoch(of: server.log.headSeq) == epoch)

            #expect(try await client.publicCrawl() == true)
            #expect(try await client.publicCrawl(set: false) == false)
            #expect(await server.administration.publicCrawlEnabled() == false)
            #expect(try await client.publicCrawl() == false)
            #expect(try await client.publicCrawl(set: true) == true)
        }
    }
}
