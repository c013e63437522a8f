/// A data-model map: string keys kept in DAG-CBOR canonical order, compared by their exact UTF-8 bytes.
///
/// Swift `String` equality is Unicode-canonical, so two distinct byte sequences can compare equal; a map keyed by
/// `String` could merge them. Keys are therefore ordered and compared by bytes, as the wire format does.
public struct DataMap: Sendable, Hashable, Sequence {
    /// One key and its value.
    public struct Entry: Sendable, Hashable {
        public let key: String
        public var value: DataValue

        public static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.key.utf8.elementsEqual(rhs.key.utf8) && lhs.value == rhs.value
        }

        public func hash(into hasher: inout Hasher) {
            for byte in key.utf8 { hasher.combine(byte) }
            hasher.combine(value)
        }
    }

    /// Entries in canonical key order, keys unique.
    public private(set) var entries: [Entry]

    /// An empty map.
    public init() { entries = [] }

    /// Builds a map from pairs; a later duplicate key replaces an earlier one.
    public init(_ pairs: some Sequence<(String, DataValue)>) {
        entries = []
        for (key, value) in pairs { self[key] = value }
    }

    /// Builds a map from entries already in strictly increasing canonical order (the decoder's output).
    init(canonicalEntries: [Entry]) { entries = canonicalEntries }

    /// Number of entries.
    public var count: Int { entries.count }

    /// Keys in canonical order.
    public var keys: [String] { entries.map(\.key) }

    /// Value for `key`, or nil; assigning nil removes the key.
    public subscript(key: String) -> DataValue? {
        get {
            switch search(key) {
            case .found(let index): return entries[index].value
            case .insert: return nil
            }
        }
        set {
            switch (search(key), newValue) {
            case (.found(let index), .some(let value)): entries[index].value = value
            case (.found(let index), .none): entries.remove(at: index)
            case (.insert(let index), .some(let value)): entries.insert(Entry(key: key, value: value), at: index)
            case (.insert, .none): break
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    private enum SearchResult { case found(Int), insert(Int) }

    private func search(_ key: String) -> SearchResult {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if DataMap.canonicalOrder(entries[middle].key, key) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        if low < entries.count, entries[low].key.utf8.elementsEqual(key.utf8) { return .found(low) }
        return .insert(low)
    }

    /// DAG-CBOR key order: shorter UTF-8 first, then bytewise.
    public static func canonicalOrder(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        if left.count != right.count { return left.count < right.count }
        return left.lexicographicallyPrecedes(right)
    }
}
