import ATData
import Hummingbird

/// The query parameters of one `com.atproto.sync` query, checked against the lexicon's types and bounds.
///
/// Only the names the query declares are looked at (unknown ones are ignored, as XRPC servers do); a declared
/// name given twice is an error because none of these parameters is an array.
struct SyncQueryParameters: Sendable, Equatable {
    /// LMDB's key size limit: longer DIDs and hostnames cannot be in the state tables.
    static let maxStoredKeyBytes = 511

    private let values: [String: String]

    /// Collects the values of `names` from `items` (name, percent-decoded value), in order.
    init(_ items: [(String, String)], names: Set<String>) throws(XRPCError) {
        var values: [String: String] = [:]
        for (name, value) in items where names.contains(name) {
            guard values.updateValue(value, forKey: name) == nil else {
                throw .invalidRequest("\(name) given more than once")
            }
        }
        self.values = values
    }

    /// The parameters of `request`.
    init(_ request: Request, names: Set<String>) throws(XRPCError) {
        try self.init(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, names: names)
    }

    /// `limit`: an integer in `1...maximum`, `defaultValue` when absent.
    func limit(default defaultValue: Int, maximum: Int) throws(XRPCError) -> Int {
        guard let text = values["limit"] else { return defaultValue }
        guard let number = Int(text), number >= 1, number <= maximum else {
            throw .invalidRequest("limit must be an integer from 1 to \(maximum)")
        }
        return number
    }

    /// `cursor`: the last key of the previous page (`nil` when absent or empty: the first page).
    func cursor() throws(XRPCError) -> String? {
        guard let text = values["cursor"], !text.isEmpty else { return nil }
        guard text.utf8.count <= Self.maxStoredKeyBytes else { throw .invalidRequest("cursor is too long") }
        return text
    }

    /// The required `did`, syntax-checked.
    func did() throws(XRPCError) -> String {
        guard let text = values["did"] else { throw .invalidRequest("missing required parameter did") }
        guard DID.isValid(text) else { throw .invalidRequest("did is not a valid DID") }
        return text
    }

    /// The optional `since` (a TID).
    func since() throws(XRPCError) -> String? {
        guard let text = values["since"] else { return nil }
        guard TID.isValid(text) else { throw .invalidRequest("since must be a TID") }
        return text
    }

    /// The required `hostname` (`hostname[:port]`, no scheme or path).
    func hostname() throws(XRPCError) -> String {
        guard let text = values["hostname"] else { throw .invalidRequest("missing required parameter hostname") }
        guard Self.isHostnameSyntax(text) else { throw .invalidRequest("hostname must be a bare hostname[:port]") }
        return text
    }

    /// Letters, digits, `.`, `-`, `:` and IPv6 brackets only, 1…511 bytes: enough to reject URLs and junk
    /// without judging which names exist.
    static func isHostnameSyntax(_ text: String) -> Bool {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= maxStoredKeyBytes else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"),
                 UInt8(ascii: "["), UInt8(ascii: "]"):
                true
            default:
                false
            }
        }
    }
}
