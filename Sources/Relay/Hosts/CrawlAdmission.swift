import ATIdentity
import AsyncHTTPClient
import Foundation
import NIOCore

/// Why a crawl request was refused.
public enum CrawlRefusal: Error, Sendable, Equatable {
    /// Public `requestCrawl` is switched off.
    case disabled
    /// Not a `hostname[:port]`.
    case invalidHostname(String)
    /// The host or its domain is banned.
    case banned(String)
    /// It is, or resolves to, a loopback/private/link-local address.
    case forbiddenAddress(String)
    /// The per-day quota of new hosts is used up.
    case quotaExceeded
    /// `describeServer` did not answer like a PDS.
    case notAPDS(String)
    /// It identifies itself as a relay (`Server: atproto-relay`).
    case isRelay(String)
}

/// The checks a host passes before the relay subscribes to it (design §8).
struct CrawlAdmission: Sendable {
    let registry: HostRegistry
    let allowPrivateHosts: Bool
    let httpClient: HTTPClient

    /// Largest `describeServer` answer read.
    static let maxDescribeBytes = 64 * 1024

    /// Parses and checks the name, the bans and the addresses (everything but the PDS probe and the quota).
    func vet(_ text: String) async throws(CrawlRefusal) -> Hostname {
        guard let hostname = Hostname(text) else { throw .invalidHostname(text) }
        if registry.isDomainBanned(hostname) { throw .banned(hostname.value) }
        if registry.runtime(hostname.value)?.isBanned == true { throw .banned(hostname.value) }
        if !allowPrivateHosts {
            if hostname.isPrivate { throw .forbiddenAddress(hostname.value) }
            do {
                try await HostVetting(allowPrivateHosts: false).vet(hostname.name)
            } catch {
                throw .forbiddenAddress("\(hostname.value): \(error)")
            }
        }
        return hostname
    }

    /// Asks the host's `describeServer`; it must answer 200 with a JSON object carrying a `did`, and must not say
    /// it is a relay.
    func probe(_ hostname: Hostname) async throws(CrawlRefusal) {
        var request = HTTPClientRequest(url: hostname.httpBase + "/xrpc/com.atproto.server.describeServer")
        request.headers.add(name: "User-Agent", value: "tributary")
        let body: ByteBuffer
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: .seconds(10))
            if response.headers["Server"].contains(where: { $0.lowercased().contains("atproto-relay") }) {
                throw CrawlRefusal.isRelay(hostname.value)
            }
            guard response.status == .ok else { throw CrawlRefusal.notAPDS("describeServer answered \(response.status.code)") }
            body = try await response.body.collect(upTo: Self.maxDescribeBytes)
        } catch let refusal as CrawlRefusal {
            throw refusal
        } catch {
            throw .notAPDS("describeServer failed: \(error)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
            let did = object["did"] as? String, did.hasPrefix("did:")
        else { throw .notAPDS("describeServer did not return a server DID") }
    }
}
