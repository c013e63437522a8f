/// Entry points for whole-item DAG-CBOR decoding and encoding of the generic data model.
public enum DAGCBOR {
    /// Decodes exactly one canonical item from `bytes` (trailing bytes are an error).
    public static func decode(_ bytes: [UInt8], limits: DAGCBORLimits = .default) throws(DAGCBORError) -> DataValue {
        var reader = try DAGCBORReader(bytes, limits: limits)
        let value = try reader.readValue()
        try reader.expectEnd()
        return value
    }

    /// Encodes a value canonically.
    public static func encode(_ value: DataValue) -> [UInt8] {
        var writer = DAGCBORWriter()
        writer.write(value)
        return writer.bytes
    }
}

extension DAGCBORReader {
    /// Reads the next item as a generic data-model value.
    public mutating func readValue() throws(DAGCBORError) -> DataValue {
        switch try peekMajorType() {
        case .unsigned, .negative:
            return .integer(try readInteger())
        case .bytes:
            return .bytes(Array(try readBytes()))
        case .text:
            return .string(try readString())
        case .array:
            let count = try readArrayHeader()
            try enterNested()
            var items: [DataValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try readValue()) }
            depth -= 1
            return .array(items)
        case .map:
            let count = try readMapHeader()
            try enterNested()
            var entries: [DataMap.Entry] = []
            entries.reserveCapacity(count)
            var previous: Range<Int>? = nil
            for _ in 0..<count {
                let key = try readMapKey(after: previous)
                previous = key
                let value = try readValue()
                entries.append(DataMap.Entry(key: String(decoding: bytes[key], as: UTF8.self), value: value))
            }
            depth -= 1
            return .map(DataMap(canonicalEntries: entries))
        case .tag:
            return .link(try readLink())
        case .simple:
            let head = try readHead()
            switch head.argument {
            case 20: return .bool(false)
            case 21: return .bool(true)
            default: return .null
            }
        }
    }
}
