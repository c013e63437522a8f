import AsyncHTTPClient
import Foundation
import NIOCore

/// One hardened GET: scheme and address policy, a whole-request timeout, a body size cap, a concurrency cap,
/// no redirects.
final class HTTPFetcher: Sendable {
    /// Status and body of a completed request.
    struct Response: Sendable {
        let status: Int
        let body: [UInt8]
    }

    private let client: HTTPClient
    private let configuration: ResolverConfiguration
    private let vetting: HostVetting
    private let limiter: ConcurrencyLimiter

    init(configuration: ResolverConfiguration) {
        self.configuration = configuration
        self.vetting = HostVetting(allowPrivateHosts: configuration.allowPrivateHosts)
        self.limiter = ConcurrencyLimiter(limit: configuration.maxConcurrentRequests)
        var clientConfiguration = HTTPClient.Configuration()
        // A redirect could lead to a host that was never vetted; atproto lookups do not need them.
        clientConfiguration.redirectConfiguration = .disallow
        let timeout = TimeAmount.nanoseconds(Self.nanoseconds(configuration.requestTimeout))
        clientConfiguration.timeout = .init(connect: timeout, read: timeout)
        clientConfiguration.decompression = .disabled
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
    }

    /// Closes the connection pool.
    func shutdown() async throws {
        try await client.shutdown()
    }

    /// GETs `urlString` and returns status and body, or a typed error.
    func get(_ urlString: String, maxBytes: Int? = nil) async throws(IdentityError) -> Response {
        guard let url = URL(string: urlString), let scheme = url.scheme?.lowercased(), let host = url.host,
            !host.isEmpty
        else { throw .invalidURL(urlString) }
        // Only plain host characters: the host vetted here must be the host the client connects to, with no
        // percent-escapes or other spellings that two URL parsers could read differently.
        guard host.utf8.allSatisfy(Self.isPlainHostByte) else { throw .invalidURL(urlString) }
        switch scheme {
        case "https": break
        case "http": guard configuration.allowPrivateHosts else { throw .forbiddenHost(urlString) }
        default: throw .invalidURL(urlString)
        }
        let cap = min(maxBytes ?? configuration.maxResponseBytes, configuration.maxResponseBytes)
        return try await limiter.withPermit { () async throws(IdentityError) -> Response in
            try await vetting.vet(host)
            return try await withDeadline { try await self.perform(urlString, cap: cap) }
        }
    }

    /// Sends the request and reads the body up to `cap` bytes.
    private func perform(_ url: String, cap: Int) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        request.headers.add(name: "Accept", value: "application/json, text/plain;q=0.9")
        let response = try await client.execute(
            request, timeout: .nanoseconds(Self.nanoseconds(configuration.requestTimeout)))
        if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init), declared > cap {
            throw IdentityError.responseTooLarge
        }
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: cap)
        } catch is NIOTooManyBytesError {
            throw IdentityError.responseTooLarge
        }
        return Response(status: Int(response.status.code), body: Array(buffer.readableBytesView))
    }

    /// Runs `operation`, failing with `.timeout` once the configured request timeout has passed (this also bounds
    /// a server that sends headers and then trickles the body).
    private func withDeadline(
        _ operation: @escaping @Sendable () async throws -> Response
    ) async throws(IdentityError) -> Response {
        let timeout = configuration.requestTimeout
        do {
            return try await withThrowingTaskGroup(of: Response.self) { group in
                group.addTask { try await operation() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw IdentityError.timeout
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw IdentityError.timeout }
                return first
            }
        } catch let error as IdentityError {
            throw error
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout
            || error == .connectTimeout
        {
            throw .timeout
        } catch is CancellationError {
            throw .transport("cancelled")
        } catch {
            throw .transport(String(describing: error))
        }
    }

    /// Letters, digits, `.`, `-`, and the `:[]` of IPv6 literals.
    private static func isPlainHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"),
            UInt8(ascii: "["), UInt8(ascii: "]"):
            true
        default:
            false
        }
    }

    /// Whole nanoseconds of a duration, saturating.
    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return Int64.max }
        return scaled &+ attoseconds / 1_000_000_000
    }
}
