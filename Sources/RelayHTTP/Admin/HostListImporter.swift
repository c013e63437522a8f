import AsyncHTTPClient
import Foundation
import NIOCore
import Relay

/// `tributary admin pull-hosts`: reads another relay's `com.atproto.sync.listHosts` page by page and adds each
/// host through this relay's admin API. Reading is capped (pages, hosts, bytes per page) so a hostile or broken
/// source cannot make it run forever or fill memory.
public struct HostListImporter: Sendable {
    /// Caps and pacing.
    public struct Limits: Sendable, Equatable {
        /// `limit` asked per page (the lexicon allows 1…1000).
        public var pageSize: Int
        /// Most pages read.
        public var maxPages: Int
        /// Most distinct hosts read.
        public var maxHosts: Int
        /// Largest page body accepted.
        public var maxPageBytes: Int
        /// Hosts added concurrently.
        public var concurrency: Int

        /// Creates limits.
        public init(pageSize: Int = 500, maxPages: Int = 200, maxHosts: Int = 50_000, maxPageBytes: Int = 8 << 20,
                    concurrency: Int = 4)
        {
            self.pageSize = min(max(pageSize, 1), 1000)
            self.maxPages = max(maxPages, 1)
            self.maxHosts = max(maxHosts, 1)
            self.maxPageBytes = maxPageBytes
            self.concurrency = max(concurrency, 1)
        }
    }

    /// One host as the source relay lists it.
    public struct SourceHost: Sendable, Equatable, Decodable {
        public var hostname: String
        public var status: String?
    }

    /// What the source relay listed.
    public struct Listing: Sendable, Equatable {
        /// Distinct hosts in the order listed.
        public var hosts: [SourceHost]
        /// Pages read.
        public var pages: Int
        /// Whether reading stopped at a cap (or a repeated cursor) before the last page.
        public var truncated: Bool
    }

    /// The outcome of an import.
    public struct Report: Sendable, Equatable {
        /// Pages and hosts read from the source.
        public var listing: Listing
        /// Hosts added (or already known), sorted.
        public var added: [String]
        /// Hosts the admin API refused, with its reason, sorted by hostname.
        public var failed: [Failure]
        /// Hosts not sent because the source lists them as `banned`, sorted.
        public var skipped: [String]
    }

    /// One refused host.
    public struct Failure: Sendable, Equatable {
        public var hostname: String
        public var reason: String
    }

    let http: HTTPClient
    let limits: Limits

    /// Creates an importer.
    public init(http: HTTPClient = .shared, limits: Limits = Limits()) {
        self.http = http
        self.limits = limits
    }

    /// Reads every page of `listHosts` from `source` (a relay's base URL; `https://` is assumed without a scheme).
    public func list(from source: String) async throws(HostListImportError) -> Listing {
        let base = try Self.baseURL(source)
        var hosts: [SourceHost] = []
        var seen = Set<String>()
        var cursors = Set<String>()
        var cursor: String?
        var pages = 0
        while true {
            let page = try await fetch(base, cursor: cursor)
            pages += 1
            for host in page.hosts where seen.insert(host.hostname).inserted {
                guard hosts.count < limits.maxHosts else { return Listing(hosts: hosts, pages: pages, truncated: true) }
                hosts.append(host)
            }
            guard let next = page.cursor, !next.isEmpty else {
                return Listing(hosts: hosts, pages: pages, truncated: false)
            }
            // A cursor seen before would loop forever; a page cap bounds a source that never stops.
            guard cursors.insert(next).inserted, pages < limits.maxPages else {
                return Listing(hosts: hosts, pages: pages, truncated: true)
            }
            cursor = next
        }
    }

    /// Lists the hosts of `source` and adds each one (except those it lists as `banned`) through `admin`.
    /// Stops with an error if the admin API refuses the token or stays unreachable.
    public func importHosts(from source: String, into admin: AdminClient) async throws(HostListImportError)
        -> Report
    {
        let listing = try await list(from: source)
        let skipped = listing.hosts.filter { $0.status == "banned" }.map(\.hostname)
        let wanted = listing.hosts.filter { $0.status != "banned" }.map(\.hostname)
        var added: [String] = []
        var failed: [Failure] = []
        var consecutiveTransportFailures = 0
        var start = 0
        while start < wanted.count {
            let batch = Array(wanted[start..<min(start + limits.concurrency, wanted.count)])
            start += batch.count
            let results = await withTaskGroup(of: (String, AdminClientError?).self) { group in
                for hostname in batch {
                    group.addTask {
                        do throws(AdminClientError) {
                            _ = try await admin.addHost(hostname)
                            return (hostname, nil)
                        } catch {
                            return (hostname, error)
                        }
                    }
                }
                var results: [(String, AdminClientError?)] = []
                for await result in group { results.append(result) }
                return results
            }
            for (hostname, error) in results {
                guard let error else {
                    added.append(hostname)
                    consecutiveTransportFailures = 0
                    continue
                }
                switch error {
                case .server(let status, _, _) where status == 401:
                    throw .admin(error)
                case .transport:
                    consecutiveTransportFailures += 1
                    if consecutiveTransportFailures >= 5 { throw .admin(error) }
                default:
                    consecutiveTransportFailures = 0
                }
                failed.append(Failure(hostname: hostname, reason: error.description))
            }
        }
        return Report(listing: listing, added: added.sorted(), failed: failed.sorted { $0.hostname < $1.hostname },
                      skipped: skipped.sorted())
    }

    /// `source` without a trailing slash, with `https://` if it names no scheme.
    static func baseURL(_ source: String) throws(HostListImportError) -> String {
        var base = source.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        if !base.contains("://") { base = "https://" + base }
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else { throw .badSource("\(source) is not an http(s) URL of a relay") }
        return base
    }

    private struct Page: Decodable {
        var cursor: String?
        var hosts: [SourceHost]
    }

    private func fetch(_ base: String, cursor: String?) async throws(HostListImportError) -> Page {
        var url = "\(base)/xrpc/com.atproto.sync.listHosts?limit=\(limits.pageSize)"
        if let cursor { url += "&cursor=\(AdminClient.percentEncoded(cursor))" }
        let status: Int
        let bytes: ByteBuffer
        do {
            let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(60))
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: limits.maxPageBytes)
        } catch {
            throw .source("\(url): \(error)")
        }
        guard status == 200 else { throw .source("\(url): HTTP \(status)") }
        do {
            return try JSONDecoder().decode(Page.self, from: Data(Array(buffer: bytes)))
        } catch {
            throw .source("\(url): not a listHosts response")
        }
    }
}

/// Why a host import stopped.
public enum HostListImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source is not a usable URL.
    case badSource(String)
    /// Reading the source's `listHosts` failed.
    case source(String)
    /// The admin API refused the token or could not be reached.
    case admin(AdminClientError)

    public var description: String {
        switch self {
        case .badSource(let reason): reason
        case .source(let reason): "listHosts failed: \(reason)"
        case .admin(let error): "admin API: \(error)"
        }
    }
}
