import EventLog
import Foundation
import NIOHTTP1
@testable import RelayHTTP
import Testing

/// Every `/admin/` route refuses requests without the right bearer token, before touching the relay.
@Suite(.serialized) struct AdminAuthTests {
    /// Every admin route, with a body that would be valid.
    static let routes: [(HTTPMethod, String, String?)] = [
        (.GET, "/admin/hosts", nil),
        (.POST, "/admin/hosts", #"{"hostname":"pds.example.com"}"#),
        (.POST, "/admin/hosts/ban", #"{"hostname":"pds.example.com"}"#),
        (.POST, "/admin/hosts/unban", #"{"hostname":"pds.example.com"}"#),
        (.POST, "/admin/hosts/limits", #"{"hostname":"pds.example.com","accountLimit":5}"#),
        (.GET, "/admin/domains/banned", nil),
        (.POST, "/admin/domains/ban", #"{"domain":"example.com"}"#),
        (.POST, "/admin/domains/unban", #"{"domain":"example.com"}"#),
        (.POST, "/admin/accounts/takedown", #"{"did":"did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"}"#),
        (.POST, "/admin/accounts/restore", #"{"did":"did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"}"#),
        (.GET, "/admin/account?did=did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", nil),
        (.GET, "/admin/subscribers", nil),
        (.POST, "/admin/epoch/bump", nil),
        (.GET, "/admin/public-crawl", nil),
        (.POST, "/admin/public-crawl", #"{"enabled":false}"#),
    ]

    @Test func everyRouteRefusesMissingAndWrongTokens() async throws {
        try await AdminTestServer.with { server in
            let epoch = server.log.epoch
            let refusals: [([(String, String)], String)] = [
                ([], "AuthRequired"),
                ([("Authorization", "Basic dXNlcjpwYXNz")], "AuthRequired"),
                ([("Authorization", "Bearer")], "AuthRequired"),
                ([("Authorization", "Bearer wrong-token-wrong-token-wrong")], "InvalidToken"),
                // The right token minus its last character, and plus one more: no prefix match.
                ([("Authorization", "Bearer \(AdminTestServer.token.dropLast())")], "InvalidToken"),
                ([("Authorization", "Bearer \(AdminTestServer.token)x")], "InvalidToken"),
                ([("Authorization", "Bearer \(AdminTestServer.token)"), ("Authorization", "Bearer x")],
                 "InvalidToken"),
            ]
            var checked = 0
            for (method, path, body) in Self.routes {
                for (headers, expected) in refusals {
                    let reply = try await server.raw(method, path, headers: headers, body: body)
                    #expect(reply.status == 401, "\(method) \(path) \(headers)")
                    #expect(reply.errorName == expected, "\(method) \(path) \(headers)")
                    #expect(reply.json["message"] is String)
                    #expect(reply.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
                    checked += 1
                }
            }
            #expect(checked == 15 * 7)
            // Nothing reached the relay.
            #expect(try await server.administration.listHosts().isEmpty)
            #expect(try await server.administration.listDomainBans().isEmpty)
            #expect(await server.administration.publicCrawlEnabled())
            #expect(server.log.epoch == epoch)
        }
    }

    @Test func theRightTokenPassesOnEveryRoute() async throws {
        try await AdminTestServer.with { server in
            try server.putHosts([HostState(hostname: "pds.example.com")])
            try server.log.write { txn in
                try txn.putAccount(AccountState(did: "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", host: "pds.example.com"))
            }
            var passed = 0
            for (method, path, body) in Self.routes {
                let reply = try await server.authorized(method, path, body: body)
                #expect(reply.status == 200, "\(method) \(path): \(String(decoding: reply.body, as: UTF8.self))")
                if reply.status == 200 { passed += 1 }
            }
            #expect(passed == Self.routes.count)
            // The scheme name is case-insensitive.
            let lower = try await server.raw(.GET, "/admin/hosts",
                                             headers: [("Authorization", "bearer \(AdminTestServer.token)")])
            #expect(lower.status == 200)
        }
    }

    /// The list above is every route `AdminRoutes.register` declares (read from its source, so a new route that
    /// is not added here fails this test); all of them sit in the one group the auth middleware guards.
    @Test func routeListMatchesTheRegisteredRoutes() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let source = try String(
            contentsOf: root.appendingPathComponent("Sources/RelayHTTP/Admin/AdminRoutes.swift"), encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: #"admin\.(get|post|put|patch|delete)\("([^"]*)""#)
        let range = NSRange(source.startIndex..., in: source)
        let registered = Set(pattern.matches(in: source, range: range).compactMap { match -> String? in
            guard let method = Range(match.range(at: 1), in: source), let path = Range(match.range(at: 2), in: source)
            else { return nil }
            return source[method].uppercased() + " /admin/" + source[path]
        })
        let listed = Set(Self.routes.map { method, path, _ in
            "\(method.rawValue) " + (path.split(separator: "?").first.map(String.init) ?? path)
        })
        #expect(registered.count == 15)
        #expect(registered == listed)
        #expect(source.components(separatedBy: "AdminAuthMiddleware(token:").count == 2)
        #expect(!source.contains("router.get(") && !source.contains("router.post("), "admin routes outside the guarded group")
    }

    @Test func bearerParsing() {
        #expect(AdminAuthMiddleware.bearerToken("Bearer abc").map { Array($0) } == Array("abc".utf8))
        #expect(AdminAuthMiddleware.bearerToken("BEARER  abc").map { Array($0) } == Array("abc".utf8))
        #expect(AdminAuthMiddleware.bearerToken("Bearer ") == nil)
        #expect(AdminAuthMiddleware.bearerToken("Bearerabc") == nil)
        #expect(AdminAuthMiddleware.bearerToken("Token abc") == nil)
    }
}
