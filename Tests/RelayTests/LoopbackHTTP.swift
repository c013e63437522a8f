import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Minimal blocking HTTP/1.1 over a loopback TCP socket, for polling a child relay's `_health` and `listHosts`
/// without a client library (and without any proxy settings getting in the way); plus free-port picking.
enum LoopbackHTTP {
    /// Largest response read.
    static let maxResponseBytes = 1 << 20

    /// `GET http://127.0.0.1:<port><path>` on a dispatch thread (not the cooperative pool); nil when nothing
    /// answers or the answer is not a complete HTTP response.
    static func get(port: Int, path: String) async -> (status: Int, body: [UInt8])? {
        await withCheckedContinuation { continuation in
            // Its own thread: dispatch's global queues share threads with the cooperative pool on Linux.
            Thread { continuation.resume(returning: blockingGet(port: port, path: path)) }.start()
        }
    }

    /// Decodes the JSON body of a 200 answer.
    static func getJSON<T: Decodable>(_ type: T.Type, port: Int, path: String) async -> T? {
        guard let (status, body) = await get(port: port, path: path), status == 200 else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(body))
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestFailure("bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw TestFailure("getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    private static func blockingGet(port: Int, path: String) -> (status: Int, body: [UInt8])? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { return nil }
            sent += written
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while response.count < maxResponseBytes {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { return nil }
            response += chunk[..<count]
        }
        return parse(response)
    }

    /// Splits status and body; understands `Content-Length` and chunked bodies.
    private static func parse(_ response: [UInt8]) -> (status: Int, body: [UInt8])? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = firstRange(of: separator, in: response[...]) else { return nil }
        let head = String(decoding: response[..<end], as: UTF8.self).lowercased()
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("http/1.1 "),
            let status = Int(statusLine.dropFirst(9).prefix(3))
        else { return nil }
        var body = Array(response[(end + separator.count)...])
        if lines.contains(where: { $0.hasPrefix("transfer-encoding:") && $0.contains("chunked") }) {
            guard let decoded = dechunk(body) else { return nil }
            body = decoded
        } else if let length = lines.first(where: { $0.hasPrefix("content-length:") })
            .flatMap({ Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) })
        {
            guard body.count >= length else { return nil }
            body = Array(body.prefix(length))
        }
        return (status, body)
    }

    private static func dechunk(_ bytes: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        var rest = bytes[...]
        let newline: [UInt8] = Array("\r\n".utf8)
        while true {
            guard let lineEnd = firstRange(of: newline, in: rest),
                let size = Int(String(decoding: rest[rest.startIndex..<lineEnd], as: UTF8.self)
                    .split(separator: ";").first?.trimmingCharacters(in: .whitespaces) ?? "", radix: 16)
            else { return nil }
            let start = lineEnd + newline.count
            if size == 0 { return output }
            guard rest.endIndex - start >= size + newline.count else { return nil }
            output += rest[start..<(start + size)]
            rest = rest[(start + size + newline.count)...]
        }
    }

    private static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
