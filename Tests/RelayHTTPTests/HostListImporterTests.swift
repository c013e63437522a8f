import EventLog
import Foundation
import Hummingbird
import Logging
import NIOCore
@testable import RelayHTTP
import ServiceLifecycle
import Testing

/// `pull-hosts`: reads a real relay's paginated `com.atproto.sync.listHosts` and adds the hosts through a second
/// relay's admin API.
@Suite(.serialized) struct HostListImporterTests {
    /// 25 hosts on the source: 23 plain, one banned there, one private (refused by the target).
    static func sourceHosts() -> [HostState] {
        var hosts = (0..<23).map { HostState(hostname: String(format: "pds%02d.example.com", $0), cursor: 7) }
        hosts.append(HostState(hostname: "banned.example.net", status: .banned))
        hosts.append(HostState(hostname: "localhost"))
        return hosts
    }

    @Test func importsEveryPage() async throws {
        try await AdminTestServer.with { source in
            try source.putHosts(Self.sourceHosts())
            try await AdminTestServer.with { target in
                try target.putHosts([HostState(hostname: "pds00.example.com")])
                let importer = HostListImporter(http: target.http, limits: .init(pageSize: 10))
                let report = try await importer.importHosts(from: source.baseURL, into: target.client())
                #expect(report.listing.pages == 3 && report.listing.hosts.count == 25 && !report.listing.truncated)
                #expect(report.added == (0..<23).map { String(format: "pds%02d.example.com", $0) })
                #expect(report.skipped == ["banned.example.net"])
                #expect(report.failed.map(\.hostname) == ["localhost"])
                #expect(report.failed.first?.reason.contains("Forbidden") == true)
                let stored = try await target.client().listHosts().map(\.hostname)
                #expect(stored == (0..<23).map { String(format: "pds%02d.example.com", $0) })
            }
        }
    }

    @Test func readingIsCapped() async throws {
        try await AdminTestServer.with { source in
            try source.putHosts(Self.sourceHosts())
            let byHosts = try await HostListImporter(http: source.http, limits: .init(pageSize: 10, maxHosts: 12))
                .list(from: source.baseURL)
            #expect(byHosts.hosts.count == 12 && byHosts.pages == 2 && byHosts.truncated)
            let byPages = try await HostListImporter(http: source.http, limits: .init(pageSize: 10, maxPages: 2))
                .list(from: source.baseURL)
            #expect(byPages.hosts.count == 20 && byPages.pages == 2 && byPages.truncated)
            let all = try await HostListImporter(http: source.http, limits: .init(pageSize: 1000))
                .list(from: source.baseURL + "/")
            #expect(all.hosts.count == 25 && all.pages == 1 && !all.truncated)
            #expect(all.hosts.first == HostListImporter.SourceHost(hostname: "banned.example.net", status: "banned"))
        }
    }

    @Test func aSourceRepeatingItsCursorStops() async throws {
        let router = Router()
        router.get("/xrpc/com.atproto.sync.listHosts") { request, _ -> Response in
            let page = request.uri.queryParameters.get("cursor") == nil ? "a" : "b"
            let body = #"{"cursor":"same","hosts":[{"hostname":"\#(page).example.com"}]}"#
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "loop-source")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await group.run() }
        var iterator = stream.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let listing = try await HostListImporter().list(from: "http://127.0.0.1:\(port)")
        #expect(listing.hosts.map(\.hostname) == ["a.example.com", "b.example.com"])
        #expect(listing.pages == 2 && listing.truncated)
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    @Test func failuresThatStopTheImport() async throws {
        try await AdminTestServer.with { source in
            try source.putHosts(Self.sourceHosts())
            let importer = HostListImporter(http: source.http)
            // The target refuses the token: stop at once rather than failing every host.
            await #expect(throws: HostListImportError.admin(.server(status: 401, error: "InvalidToken",
                                                                    message: "the admin token is not valid"))) {
                try await importer.importHosts(from: source.baseURL,
                                               into: source.client(token: "wrong-token-wrong-token"))
            }
            await #expect(throws: HostListImportError.badSource("ftp://example.com is not an http(s) URL of a relay")) {
                try await importer.list(from: "ftp://example.com")
            }
            // Not a relay: no listHosts there (404).
            await #expect(throws: HostListImportError.self) {
                try await importer.list(from: source.baseURL + "/admin")
            }
        }
    }
}
