/// DID syntax checks (atproto's `did` format) and the did:plc / did:web method rules.
enum DIDSyntax {
    /// Longest DID accepted.
    static let maxLength = 2048

    /// Supported method of a syntactically valid DID.
    enum Method: Equatable {
        case plc
        /// did:web with its hostname (and `host:port` for the localhost development form).
        case web(host: String)
    }

    /// True for `did:<lowercase method>:<id>` with the allowed characters and no trailing `:` or `%`.
    static func isValid(_ did: String) -> Bool {
        let bytes = Array(did.utf8)
        guard bytes.count <= maxLength, bytes.starts(with: Array("did:".utf8)) else { return false }
        var index = 4
        while index < bytes.count, bytes[index] >= UInt8(ascii: "a"), bytes[index] <= UInt8(ascii: "z") { index += 1 }
        guard index > 4, index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
        let identifier = bytes[(index + 1)...]
        guard let last = identifier.last, last != UInt8(ascii: ":"), last != UInt8(ascii: "%") else { return false }
        return identifier.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
                UInt8(ascii: "%"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
    }

    /// Classifies a DID: did:plc (24 base32 characters) or did:web (hostname only; a `%3A` port only for
    /// localhost when `allowLocalPort`).
    static func method(of did: String, allowLocalPort: Bool) throws(IdentityError) -> Method {
        guard isValid(did) else { throw .invalidDID(did) }
        if did.hasPrefix("did:plc:") {
            let identifier = did.utf8.dropFirst(8)
            let valid =
                identifier.count == 24
                && identifier.allSatisfy {
                    ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                        || ($0 >= UInt8(ascii: "2") && $0 <= UInt8(ascii: "7"))
                }
            guard valid else { throw .invalidDID(did) }
            return .plc
        }
        if did.hasPrefix("did:web:") {
            let identifier = String(did.dropFirst(8))
            // A further colon would be a path, which atproto does not allow.
            guard !identifier.contains(":") else { throw .unsupportedMethod(did) }
            if let percent = identifier.firstIndex(of: "%") {
                let host = identifier[..<percent]
                let escape = identifier[percent...].prefix(3).uppercased()
                let port = identifier[percent...].dropFirst(3)
                guard allowLocalPort, escape == "%3A", host == "localhost", !port.isEmpty, port.count <= 5,
                    port.allSatisfy(\.isASCIIDigit)
                else { throw .unsupportedMethod(did) }
                return .web(host: "localhost:" + port)
            }
            guard HandleSyntax.isHostname(identifier) else {
                throw .unsupportedMethod(did)
            }
            return .web(host: identifier.lowercased())
        }
        throw .unsupportedMethod(did)
    }
}

extension Character {
    /// ASCII 0–9 only (not other Unicode digits).
    var isASCIIDigit: Bool { isASCII && isNumber }
}
