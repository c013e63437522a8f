import ATData
import Crypto
import Foundation

/// The bearer token that guards `/admin/`: given explicitly, or kept in `<data-dir>/admin-token`.
///
/// Only a SHA-256 digest of the token is kept for comparison, so checking a presented token costs the same
/// whatever its length or content (``matches(_:)``).
public struct AdminToken: Sendable {
    /// Name of the token file inside the data directory.
    public static let fileName = "admin-token"
    /// Shortest accepted token (a generated one is 64 hex characters).
    public static let minimumLength = 16
    /// Longest accepted token; it travels in an HTTP header.
    public static let maximumLength = 1024

    /// Where a resolved token came from.
    public enum Source: Sendable, Equatable {
        /// `--admin-token` / `TRIBUTARY_ADMIN_TOKEN`.
        case explicit
        /// An existing token file.
        case file
        /// Newly generated and written to the token file (log it once so the operator can use it).
        case generated
    }

    /// The token text (what a client sends after `Bearer `).
    public let value: String
    let digest: [UInt8]

    /// Wraps a token: 16…1024 bytes of visible ASCII (no spaces or control characters).
    public init(_ value: String) throws(AdminTokenError) {
        let bytes = Array(value.utf8)
        guard bytes.count >= Self.minimumLength, bytes.count <= Self.maximumLength else {
            throw .malformed("the admin token must be \(Self.minimumLength)…\(Self.maximumLength) characters")
        }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .malformed("the admin token must be visible ASCII without spaces")
        }
        self.value = value
        digest = Array(SHA256.hash(data: bytes))
    }

    /// Whether `presented` is this token, in time independent of where (or whether) the two differ: both sides
    /// are hashed first, so only the presented token's length affects the time, and it is the caller's own.
    public func matches(_ presented: some Collection<UInt8>) -> Bool {
        let other = SHA256.hash(data: Array(presented))
        var difference: UInt8 = 0
        for (index, byte) in other.enumerated() { difference |= byte ^ digest[index] }
        return difference == 0
    }

    /// The token to use: `explicit` if given, else the one in `<dataDirectory>/admin-token`, else a new random one
    /// written there (mode 0600, created exclusively). An existing file readable by group or others is refused.
    public static func resolve(explicit: String?, dataDirectory: String) throws(AdminTokenError)
        -> (token: AdminToken, source: Source)
    {
        if let explicit { return (try AdminToken(explicit), .explicit) }
        let path = filePath(dataDirectory: dataDirectory)
        if let existing = try AdminTokenFile.read(path) { return (try AdminToken(existing), .file) }
        let generated = Hex.encode(randomBytes(32))
        if try AdminTokenFile.createExclusively(path, contents: generated) {
            return (try AdminToken(generated), .generated)
        }
        // Another process created the file between our read and our create: use its token.
        guard let raced = try AdminTokenFile.read(path) else { throw .io("\(path) vanished while being created") }
        return (try AdminToken(raced), .file)
    }

    /// The token stored in `<dataDirectory>/admin-token` (for the command-line client); nil if there is none.
    public static func load(dataDirectory: String) throws(AdminTokenError) -> AdminToken? {
        guard let text = try AdminTokenFile.read(filePath(dataDirectory: dataDirectory)) else { return nil }
        return try AdminToken(text)
    }

    /// `<dataDirectory>/admin-token`.
    public static func filePath(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent(fileName)
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// Why an admin token could not be used.
public enum AdminTokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The token text is unusable.
    case malformed(String)
    /// The token file is readable by group or others (mode shown in octal).
    case insecurePermissions(path: String, mode: UInt32)
    /// The token file could not be read or written.
    case io(String)

    public var description: String {
        switch self {
        case .malformed(let reason): reason
        case .insecurePermissions(let path, let mode):
            "\(path) has mode \(String(mode, radix: 8)); it must not be readable by group or others "
                + "(run: chmod 600 \(path))"
        case .io(let reason): reason
        }
    }
}
