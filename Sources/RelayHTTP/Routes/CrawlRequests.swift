import Foundation
import Hummingbird
import NIOCore

/// Takes `com.atproto.sync.requestCrawl` requests; implemented by the ingest layer (host checks, ban list, quota).
public protocol CrawlRequestHandler: Sendable {
    /// Considers crawling `hostname` (as the client sent it, trimmed); throws e.g. `HostBanned` to refuse.
    func requestCrawl(hostname: String) async throws(XRPCError)
}

/// `POST /xrpc/com.atproto.sync.requestCrawl` (and its deprecated alias `notifyOfUpdate`): parses
/// `{"hostname": "…"}` and hands the hostname to the configured ``CrawlRequestHandler``.
enum CrawlRequests {
    /// Largest accepted request body; a hostname is at most 253 bytes, so this leaves ample room.
    static let maxBodyBytes = 4096
    /// Longest accepted hostname (`hostname[:port]`).
    static let maxHostnameBytes = 300

    static func register(on router: Router<RelayRequestContext>, crawl: (any CrawlRequestHandler)?) {
        for nsid in ["com.atproto.sync.requestCrawl", "com.atproto.sync.notifyOfUpdate"] {
            router.post(RouterPath("/xrpc/\(nsid)")) { request, _ -> Response in
                guard let crawl else {
                    throw XRPCError(.notImplemented, "NotImplemented", "this relay does not accept crawl requests")
                }
                let body: ByteBuffer
                do {
                    body = try await request.body.collect(upTo: maxBodyBytes)
                } catch is NIOTooManyBytesError {
                    throw XRPCError(.contentTooLarge, "PayloadTooLarge", "request body over \(maxBodyBytes) bytes")
                }
                try await crawl.requestCrawl(hostname: hostname(fromBody: Array(buffer: body)))
                return Response(status: .ok)
            }
        }
    }

    /// The `hostname` of a JSON body `{"hostname": "…"}`; anything else is `InvalidRequest`.
    static func hostname(fromBody bytes: [UInt8]) throws(XRPCError) -> String {
        guard !bytes.isEmpty else { throw .invalidRequest("request body must be JSON {\"hostname\": \"…\"}") }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            throw .invalidRequest("request body is not valid JSON")
        }
        guard let fields = object as? [String: Any] else { throw .invalidRequest("request body must be a JSON object") }
        guard let value = fields["hostname"] else { throw .invalidRequest("missing required field hostname") }
        guard let text = value as? String else { throw .invalidRequest("hostname must be a string") }
        let hostname = text.trimmingCharacters(in: .whitespaces)
        guard !hostname.isEmpty, hostname.utf8.count <= maxHostnameBytes else {
            throw .invalidRequest("hostname must be 1…\(maxHostnameBytes) bytes")
        }
        return hostname
    }
}
