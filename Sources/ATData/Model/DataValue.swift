/// A value of the atproto data model (the generic tree; hot paths use `DAGCBORReader` instead).
public indirect enum DataValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case bytes([UInt8])
    case link(CID)
    case array([DataValue])
    case map(DataMap)

    /// The map, if this is one.
    public var mapValue: DataMap? {
        if case .map(let map) = self { return map }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The integer, if this is one.
    public var integerValue: Int64? {
        if case .integer(let number) = self { return number }
        return nil
    }

    /// The link, if this is one.
    public var linkValue: CID? {
        if case .link(let cid) = self { return cid }
        return nil
    }

    /// The bytes, if this is a byte string.
    public var bytesValue: [UInt8]? {
        if case .bytes(let data) = self { return data }
        return nil
    }

    /// The array, if this is one.
    public var arrayValue: [DataValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// Looks up a key when this is a map.
    public subscript(key: String) -> DataValue? { mapValue?[key] }
}

extension DataValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: DataValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, DataValue)...) { self = .map(DataMap(elements)) }
    public init(nilLiteral: ()) { self = .null }
}
