import AsyncHTTPClient
import Foundation
import NIOCore
import Relay

/// A client of the admin API (used by `tributary admin` and by tests): one method per endpoint, plus ``send``
/// for the raw JSON.
public struct AdminClient: Sendable {
    /// Largest response body read (a host list of 100,000 hosts is about 30 MB).
    public static let maxResponseBytes = 64 << 20

    /// `http://host:port` of the relay's public service, without a trailing slash.
    public let baseURL: String
    let token: String
    let http: HTTPClient
    let timeout: TimeAmount

    /// Creates a client; `baseURL` is e.g. `http://127.0.0.1:2470`.
    public init(baseURL: String, token: String, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(60)) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.http = http
        self.timeout = timeout
    }

    /// The HTTP methods the admin API uses.
    public enum Method: Sendable {
        case get, post
    }

    /// Sends one request to `/admin/<path>` and returns the body of a 2xx response; any other status throws
    /// ``AdminClientError/server(status:error:message:)`` with the server's error name and message.
    public func send(_ method: Method, _ path: String, query: [(String, String)] = [],
                     body: (any Encodable)? = nil) async throws(AdminClientError) -> [UInt8]
    {
        var url = "\(baseURL)/admin/\(path)"
        if !query.isEmpty {
            url += "?" + query.map { "\(Self.percentEncoded($0.0))=\(Self.percentEncoded($0.1))" }
                .joined(separator: "&")
        }
        var request = HTTPClientRequest(url: url)
        request.method = method == .get ? .GET : .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            do {
                request.body = .bytes(ByteBuffer(bytes: Array(try encoder.encode(body))))
            } catch {
                throw .badRequest("request body could not be encoded: \(error)")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let status: Int
        let bytes: [UInt8]
        do {
            let response = try await http.execute(request, timeout: timeout)
            status = Int(response.status.code)
            bytes = Array(buffer: try await response.body.collect(upTo: Self.maxResponseBytes))
        } catch {
            throw .transport("\(url): \(error)")
        }
        guard (200..<300).contains(status) else {
            if let body = try? JSONDecoder().decode(AdminErrorBody.self, from: Data(bytes)) {
                throw .server(status: status, error: body.error, message: body.message)
            }
            throw .server(status: status, error: "HTTP\(status)",
                          message: String(decoding: bytes.prefix(200), as: UTF8.self))
        }
        return bytes
    }

    /// `bytes` decoded as `T`.
    public static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws(AdminClientError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw .badResponse("unexpected response: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
    }

    private func call<T: Decodable>(_ type: T.Type, _ method: Method, _ path: String,
                                    query: [(String, String)] = [], body: (any Encodable)? = nil)
        async throws(AdminClientError) -> T
    {
        try Self.decode(type, try await send(method, path, query: query, body: body))
    }

    /// `GET /admin/hosts`.
    public func listHosts() async throws(AdminClientError) -> [AdminHostView] {
        try await call(AdminHostList.self, .get, "hosts").hosts
    }

    /// `POST /admin/hosts`.
    public func addHost(_ hostname: String) async throws(AdminClientError) -> AdminHostView {
        try await call(AdminHostView.self, .post, "hosts", body: AdminHostRequest(hostname: hostname))
    }

    /// `POST /admin/hosts/ban` or `/unban`.
    public func setHostBanned(_ hostname: String, _ banned: Bool) async throws(AdminClientError) -> AdminHostBan {
        try await call(AdminHostBan.self, .post, banned ? "hosts/ban" : "hosts/unban",
                       body: AdminHostRequest(hostname: hostname))
    }

    /// `POST /admin/hosts/limits`.
    public func setHostLimits(_ request: AdminHostLimitsRequest) async throws(AdminClientError) -> AdminHostView {
        try await call(AdminHostView.self, .post, "hosts/limits", body: request)
    }

    /// `GET /admin/domains/banned`.
    public func listDomainBans() async throws(AdminClientError) -> [String] {
        try await call(AdminDomainBanList.self, .get, "domains/banned").domains
    }

    /// `POST /admin/domains/ban` or `/unban`.
    public func setDomainBanned(_ domain: String, _ banned: Bool) async throws(AdminClientError) -> AdminDomainBan {
        try await call(AdminDomainBan.self, .post, banned ? "domains/ban" : "domains/unban",
                       body: AdminDomainRequest(domain: domain))
    }

    /// `POST /admin/accounts/takedown` or `/restore`.
    public func setTakendown(did: String, _ takendown: Bool) async throws(AdminClientError) -> AdminTakedown {
        try await call(AdminTakedown.self, .post, takendown ? "accounts/takedown" : "accounts/restore",
                       body: AdminAccountRequest(did: did))
    }

    /// `GET /admin/account?did=…`.
    public func account(did: String) async throws(AdminClientError) -> AdminAccountView {
        try await call(AdminAccountView.self, .get, "account", query: [("did", did)])
    }

    /// `GET /admin/subscribers`.
    public func subscribers() async throws(AdminClientError) -> AdminSubscriberList {
        try await call(AdminSubscriberList.self, .get, "subscribers")
    }

    /// `POST /admin/epoch/bump`; returns the new epoch.
    public func bumpEpoch() async throws(AdminClientError) -> UInt64 {
        try await call(AdminEpoch.self, .post, "epoch/bump").epoch
    }

    /// `GET /admin/public-crawl`, or `POST` when `enabled` is given.
    public func publicCrawl(set enabled: Bool? = nil) async throws(AdminClientError) -> Bool {
        guard let enabled else { return try await call(AdminPublicCrawl.self, .get, "public-crawl").enabled }
        return try await call(AdminPublicCrawl.self, .post, "public-crawl", body: AdminPublicCrawl(enabled: enabled))
            .enabled
    }

    static func percentEncoded(_ text: String) -> String {
        // ASCII only: CharacterSet.alphanumerics would let non-ASCII letters through unescaped.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Why an admin request failed.
public enum AdminClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The relay answered with an error (its name and message).
    case server(status: Int, error: String, message: String?)
    /// The relay could not be reached, or the exchange broke off.
    case transport(String)
    /// The relay's answer was not the expected JSON.
    case badResponse(String)
    /// The request could not be built.
    case badRequest(String)

    public var description: String {
        switch self {
        case .server(let status, let error, let message):
            "\(error) (HTTP \(status))" + (message.map { ": \($0)" } ?? "")
        case .transport(let reason): "cannot reach the relay: \(reason)"
        case .badResponse(let reason), .badRequest(let reason): reason
        }
    }
}
