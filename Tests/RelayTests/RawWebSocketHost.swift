import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A hostile "PDS" on 127.0.0.1 speaking just enough WebSocket to misbehave: per connection it either never answers
/// the upgrade, or completes it and writes hand-made bytes, then stalls (keeps the socket open, reads nothing) or
/// closes. Plain blocking sockets on their own threads, so nothing here shares the relay's event loops.
final class RawWebSocketHost: Sendable {
    /// What one connection does.
    enum Behavior: Sendable {
        /// Reads the request and never answers (slowloris before the upgrade).
        case neverUpgrade
        /// Completes the upgrade, writes `bytes`, then holds the socket open without reading.
        case upgradeAndStall([UInt8])
        /// Completes the upgrade, writes `bytes`, then closes.
        case upgradeAndClose([UInt8])
    }

    let port: Int
    private let listener: Int32
    private let state = Mutex<(connections: Int, open: [Int32], stopped: Bool)>((0, [], false))
    private let behavior: @Sendable (Int) -> Behavior

    /// `behavior` receives the 0-based index of each accepted connection.
    init(behavior: @escaping @Sendable (Int) -> Behavior) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw TestFailure("bind/listen failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.listener = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.behavior = behavior
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// `127.0.0.1:<port>`.
    var hostname: String { "127.0.0.1:\(port)" }
    /// Connections accepted so far.
    var connections: Int { state.withLock { $0.connections } }

    /// Closes the listener and every connection still held.
    func stop() {
        let fds = state.withLock { state -> [Int32] in
            state.stopped = true
            defer { state.open = [] }
            return state.open
        }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in fds {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 { return }
            let index = state.withLock { state -> Int? in
                guard !state.stopped else { return nil }
                state.connections += 1
                state.open.append(fd)
                return state.connections - 1
            }
            guard let index else {
                close(fd)
                return
            }
            let behavior = self.behavior(index)
            Thread { [self] in serve(fd, behavior) }.start()
        }
    }

    private func serve(_ fd: Int32, _ behavior: Behavior) {
        guard let request = Self.readRequest(fd), let key = Self.header("sec-websocket-key", in: request) else {
            release(fd)
            return
        }
        let bytes: [UInt8]
        switch behavior {
        case .neverUpgrade:
            return  // held open until stop()
        case .upgradeAndStall(let payload), .upgradeAndClose(let payload):
            bytes = payload
        }
        let accept = Data(SHA1.digest(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
        let response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(accept)\r\n\r\n"
        Self.writeAll(fd, Array(response.utf8) + bytes)
        if case .upgradeAndClose = behavior { release(fd) }
    }

    private func release(_ fd: Int32) {
        let owned = state.withLock { state -> Bool in
            guard let index = state.open.firstIndex(of: fd) else { return false }
            state.open.remove(at: index)
            return true
        }
        if owned { close(fd) }
    }

    private static func readRequest(_ fd: Int32) -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 64 * 1024 {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return nil }
            received.append(contentsOf: buffer[0..<count])
            if received.count >= 4, Array(received.suffix(4)) == Array("\r\n\r\n".utf8) {
                return String(decoding: received, as: UTF8.self)
            }
        }
        return nil
    }

    private static func header(_ name: String, in request: String) -> String? {
        for line in request.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == name {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// An unmasked server frame (`fin` set) with `opcode` and `payload`.
    static func frame(opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
        frameHeader(opcode: opcode, length: payload.count) + payload
    }

    /// The header of an unmasked server frame announcing `length` payload bytes.
    static func frameHeader(opcode: UInt8, length: Int) -> [UInt8] {
        var header: [UInt8] = [0x80 | opcode]
        if length < 126 {
            header.append(UInt8(length))
        } else if length <= 0xFFFF {
            header += [126, UInt8(length >> 8), UInt8(length & 0xFF)]
        } else {
            header.append(127)
            for shift in stride(from: 56, through: 0, by: -8) { header.append(UInt8((UInt64(length) >> UInt64(shift)) & 0xFF)) }
        }
        return header
    }
}

/// SHA-1, only for the `Sec-WebSocket-Accept` header of the raw test host.
enum SHA1 {
    static func digest(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        var data = message
        let bitLength = UInt64(message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8((bitLength >> UInt64(shift)) & 0xFF)) }
        for chunk in stride(from: 0, to: data.count, by: 64) {
            var w = [UInt32](repeating: 0, count: 80)
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] = UInt32(data[j]) << 24 | UInt32(data[j + 1]) << 16 | UInt32(data[j + 2]) << 8 | UInt32(data[j + 3])
            }
            for i in 16..<80 {
                let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                w[i] = x << 1 | x >> 31
            }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32) =
                    switch i {
                    case 0..<20: ((b & c) | (~b & d), 0x5A827999)
                    case 20..<40: (b ^ c ^ d, 0x6ED9EBA1)
                    case 40..<60: ((b & c) | (b & d) | (c & d), 0x8F1BBCDC)
                    default: (b ^ c ^ d, 0xCA62C1D6)
                    }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, temp)
            }
            h[0] = h[0] &+ a
            h[1] = h[1] &+ b
            h[2] = h[2] &+ c
            h[3] = h[3] &+ d
            h[4] = h[4] &+ e
        }
        return h.flatMap { word in [UInt8(word >> 24), UInt8(word >> 16 & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF)] }
    }
}
