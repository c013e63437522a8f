#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The token file on disk: read only if it is a private regular file, created exclusively with mode 0600.
enum AdminTokenFile {
    /// Largest token file read (a token is at most 1024 bytes plus a newline).
    static let maxBytes = 4096

    /// The token in `path` without surrounding whitespace, or nil if the file does not exist.
    static func read(_ path: String) throws(AdminTokenError) -> String? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .io("cannot open \(path): \(errorText())")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io("cannot stat \(path): \(errorText())") }
        guard info.st_mode & 0o170000 == 0o100000 else { throw .io("\(path) is not a regular file") }
        // Refused rather than silently fixed: a token others could read may already have leaked.
        let permissions = UInt32(info.st_mode) & 0o777
        guard permissions & 0o077 == 0 else { throw .insecurePermissions(path: path, mode: permissions) }
        var bytes = [UInt8](repeating: 0, count: maxBytes + 1)
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                posixRead(fd, buffer.baseAddress.map { $0 + total }, buffer.count - total)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io("cannot read \(path): \(errorText())")
            }
            if count == 0 { break }
            total += count
        }
        guard total <= maxBytes else { throw .io("\(path) is over \(maxBytes) bytes") }
        let text = String(decoding: bytes[..<total], as: UTF8.self)
        return text.trimmingWhitespace()
    }

    /// Creates `path` with mode 0600 holding `contents` and a newline; false if the file already exists.
    static func createExclusively(_ path: String, contents: String) throws(AdminTokenError) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { return false }
            throw .io("cannot create \(path): \(errorText())")
        }
        var written = false
        defer {
            close(fd)
            if !written { unlink(path) }
        }
        // The umask can only clear bits; set exactly 0600 in case it cleared the owner's.
        guard fchmod(fd, 0o600) == 0 else { throw .io("cannot chmod \(path): \(errorText())") }
        let bytes = Array((contents + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io("cannot write \(path): \(errorText())")
            }
            offset += count
        }
        guard fsync(fd) == 0 else { throw .io("cannot sync \(path): \(errorText())") }
        written = true
        return true
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

/// `read(2)`, named apart from ``AdminTokenFile/read(_:)``.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
