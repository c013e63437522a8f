/// A syntactically valid AT-URI in the strict Lexicon form: `at://<did|handle>[/<nsid>[/<record key>]]`, with no
/// query, fragment or trailing slash.
public struct ATURI: SyntaxChecked {
    /// Longest accepted AT-URI in bytes.
    public static let maxLength = 8192

    /// The checked string, exactly as given.
    public let string: String
    /// The repository: a DID or a handle (lowercased; `string` keeps the original case).
    public let authority: ATIdentifier
    /// The collection, if the URI has a path.
    public let collection: NSID?
    /// The record key, if the URI names a record.
    public let recordKey: RecordKey?

    /// Checks `string` and splits it into its parts.
    public init(_ string: String) throws(SyntaxError) {
        let bytes = string.utf8
        if bytes.isEmpty { throw .empty(.atURI) }
        if bytes.count > ATURI.maxLength { throw .tooLong(.atURI, maximum: ATURI.maxLength) }
        guard bytes.starts(with: "at://".utf8) else { throw .missingPrefix(.atURI, expected: "at://") }
        let parts = bytes.dropFirst(5).split(separator: ASCII.slash, maxSplits: 2, omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty else { throw .incomplete(.atURI) }
        do {
            self.authority = try ATIdentifier(String(Substring(first)))
        } catch {
            throw .invalidComponent(.atURI, component: .atIdentifier)
        }
        if parts.count > 1 {
            do {
                self.collection = try NSID(String(Substring(parts[1])))
            } catch {
                throw .invalidComponent(.atURI, component: .nsid)
            }
        } else {
            self.collection = nil
        }
        if parts.count > 2 {
            do {
                self.recordKey = try RecordKey(String(Substring(parts[2])))
            } catch {
                throw .invalidComponent(.atURI, component: .recordKey)
            }
        } else {
            self.recordKey = nil
        }
        self.string = string
    }

    /// Builds `at://authority[/collection[/recordKey]]` from checked parts.
    public init(authority: ATIdentifier, collection: NSID? = nil, recordKey: RecordKey? = nil) throws(SyntaxError) {
        if recordKey != nil && collection == nil { throw .incomplete(.atURI) }
        var text = "at://" + authority.string
        if let collection { text += "/" + collection.string }
        if let recordKey { text += "/" + recordKey.string }
        if text.utf8.count > ATURI.maxLength { throw .tooLong(.atURI, maximum: ATURI.maxLength) }
        self.string = text
        self.authority = authority
        self.collection = collection
        self.recordKey = recordKey
    }

    /// True if `string` is a valid AT-URI.
    public static func isValid(_ string: String) -> Bool { (try? ATURI(string)) != nil }

    /// Throws the reason `string` is not a valid AT-URI.
    public static func validate(_ string: String) throws(SyntaxError) { _ = try ATURI(string) }

    /// Equality and hashing use the original string.
    public static func == (lhs: ATURI, rhs: ATURI) -> Bool { lhs.string == rhs.string }

    /// Hashes the original string.
    public func hash(into hasher: inout Hasher) { hasher.combine(string) }
}
