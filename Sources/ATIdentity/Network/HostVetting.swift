import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Refuses hosts that are, or resolve to, non-public addresses before any connection is made.
///
/// Every address the name resolves to must be public (an attacker's DNS may mix one public and one private
/// answer). A small window remains between this check and the HTTP client's own resolution (DNS rebinding with a
/// very short TTL); closing it would need connecting to the vetted address, which the HTTP client does not offer
/// per request.
public struct HostVetting: Sendable {
    /// When true, every host passes (tests, demo).
    public let allowPrivateHosts: Bool

    /// Creates a vetting policy.
    public init(allowPrivateHosts: Bool) { self.allowPrivateHosts = allowPrivateHosts }

    /// Throws `forbiddenHost` unless `host` is a public address or a name whose addresses are all public.
    public func vet(_ host: String) async throws(IdentityError) {
        if let literal = AddressPolicy.parseLiteral(host) {
            if allowPrivateHosts { return }
            guard AddressPolicy.isPublic(literal) else { throw .forbiddenHost(host) }
            return
        }
        guard allowPrivateHosts || !AddressPolicy.isLocalName(host) else { throw .forbiddenHost(host) }
        let addresses: [[UInt8]]
        do {
            // getaddrinfo blocks; keep it off the cooperative thread pool.
            addresses = try await NIOThreadPool.singleton.runIfActive { try Self.resolve(host) }
        } catch let error as IdentityError {
            throw error
        } catch {
            throw .transport("name resolution failed for \(host)")
        }
        guard !addresses.isEmpty else { throw .transport("no addresses for \(host)") }
        // With private hosts allowed the lookup still runs: a name that does not resolve fails here at once
        // instead of after the HTTP client's connect retries.
        if allowPrivateHosts { return }
        for address in addresses where !AddressPolicy.isPublic(address) {
            throw .forbiddenHost(host)
        }
    }

    /// All IPv4/IPv6 addresses of `host` via the system resolver (blocking).
    static func resolve(_ host: String) throws(IdentityError) -> [[UInt8]] {
        var hints = addrinfo()
        #if canImport(Darwin)
            hints.ai_socktype = SOCK_STREAM
        #else
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>? = nil
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else {
            throw .transport("name resolution failed for \(host)")
        }
        defer { freeaddrinfo(first) }
        var addresses: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let socketAddress = entry.pointee.ai_addr {
                switch entry.pointee.ai_family {
                case AF_INET:
                    socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        var address = pointer.pointee.sin_addr
                        addresses.append(withUnsafeBytes(of: &address) { Array($0) })
                    }
                case AF_INET6:
                    socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        var address = pointer.pointee.sin6_addr
                        addresses.append(withUnsafeBytes(of: &address) { Array($0) })
                    }
                default:
                    break
                }
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }
}
