import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Blocking HTTP/1.1 over a plain loopback TCP socket, for requests no client library would send (huge URLs and
/// headers, thousands of refused upgrades, a consumer that hangs up mid-frame). Each exchange runs on its own
/// thread: on Linux, dispatch's global queues share their threads with Swift concurrency's cooperative pool, so
/// blocking sockets there would stall every other test in the process.
enum RawHTTPClient {
    /// Sends `request` to 127.0.0.1:`port` and reads until `enough(received)` holds, the peer closes, `limit`
    /// bytes arrived or 10 s pass; then closes. nil if the connection could not be made.
    static func exchange(port: Int, _ request: [UInt8], limit: Int = 1 << 16,
                         enough: @escaping @Sendable ([UInt8]) -> Bool = { headComplete($0) }) async -> [UInt8]?
    {
        await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: blockingExchange(port: port, request, limit: limit, enough: enough))
            }.start()
        }
    }

    /// A `GET` with the WebSocket upgrade headers for `target`.
    static func upgradeRequest(_ target: String, extraHeaders: String = "") -> [UInt8] {
        Array(("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\(extraHeaders)\r\n").utf8)
    }

    /// Whether the response head (status line and headers) is complete.
    @Sendable static func headComplete(_ bytes: [UInt8]) -> Bool {
        headLength(bytes) != nil
    }

    /// Length of the response head including its blank line, once complete.
    static func headLength(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    /// The status code of a response, if its status line arrived.
    static func status(_ bytes: [UInt8]) -> Int? {
        let line = String(decoding: bytes.prefix(32), as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1.") else { return nil }
        return Int(parts[1])
    }

    private static func blockingExchange(port: Int, _ request: [UInt8], limit: Int,
                                         enough: ([UInt8]) -> Bool) -> [UInt8]?
    {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        var offset = 0
        while offset < request.count {
            let written = request[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { break }  // the server may close before reading everything (oversized requests)
            offset += written
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while received.count < limit, !enough(received) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        return received
    }
}
