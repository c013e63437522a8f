import Foundation

/// Why JSON could not be turned into a data-model value.
public enum DataJSONError: Error, Equatable, Sendable {
    /// Not parseable JSON.
    case malformedJSON(String)
    /// A number with a fractional part or out of the 64-bit range (floats are not in the data model).
    case floatNotAllowed
    /// A `$link` object that is not exactly `{"$link": "<CID>"}` with a valid CID string.
    case invalidLink
    /// A `$bytes` object that is not exactly `{"$bytes": "<base64>"}`.
    case invalidBytes
    /// `$type` present but not a non-empty string.
    case invalidType
    /// A `$type: "blob"` object without `ref` link, `mimeType` string and integer `size`.
    case invalidBlob
    /// The top level had to be an object.
    case topLevelNotObject
}

extension DataValue {
    /// Parses the atproto JSON form (`$link`, `$bytes`, blobs) into a value, applying the data-model rules.
    public init(json: some DataProtocol, requireObject: Bool = false) throws(DataJSONError) {
        let raw: JSONValue
        do {
            raw = try JSONDecoder().decode(JSONValue.self, from: Data(json))
        } catch let error as DataJSONError {
            throw error
        } catch {
            throw .malformedJSON(String(describing: error))
        }
        if requireObject, case .object = raw {} else if requireObject { throw .topLevelNotObject }
        self = try DataValue.convert(raw)
    }

    private static func convert(_ raw: JSONValue) throws(DataJSONError) -> DataValue {
        switch raw {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .integer(let number): return .integer(number)
        case .string(let text): return .string(text)
        case .array(let items):
            var values: [DataValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try convert(item)) }
            return .array(values)
        case .object(let object):
            if let link = object["$link"] {
                guard object.count == 1, case .string(let text) = link, let cid = try? CID(string: text) else {
                    throw .invalidLink
                }
                return .link(cid)
            }
            if let encoded = object["$bytes"] {
                guard object.count == 1, case .string(let text) = encoded, let data = Base64.decode(text) else {
                    throw .invalidBytes
                }
                return .bytes(data)
            }
            var map = DataMap()
            for (key, value) in object { map[key] = try convert(value) }
            try validateTypedObject(map)
            return .map(map)
        }
    }

    /// `$type` must be a non-empty string; blobs must carry their three fields.
    private static func validateTypedObject(_ map: DataMap) throws(DataJSONError) {
        guard let type = map["$type"] else { return }
        guard case .string(let name) = type, !name.isEmpty else { throw .invalidType }
        if name == "blob" {
            guard case .link = map["ref"], case .string = map["mimeType"], case .integer = map["size"] else {
                throw .invalidBlob
            }
        }
    }

    /// The atproto JSON form of this value (compact, keys in canonical order).
    public var jsonString: String {
        var output = ""
        appendJSON(to: &output)
        return output
    }

    func appendJSON(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .integer(let number): output += String(number)
        case .string(let text): JSONText.appendQuoted(text, to: &output)
        case .bytes(let data):
            output += "{\"$bytes\":\""
            output += Base64.encode(data)
            output += "\"}"
        case .link(let cid):
            output += "{\"$link\":\""
            output += cid.string
            output += "\"}"
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                item.appendJSON(to: &output)
            }
            output += "]"
        case .map(let map):
            output += "{"
            for (index, entry) in map.entries.enumerated() {
                if index > 0 { output += "," }
                JSONText.appendQuoted(entry.key, to: &output)
                output += ":"
                entry.value.appendJSON(to: &output)
            }
            output += "}"
        }
    }
}

/// JSON string quoting (RFC 8259).
public enum JSONText {
    /// Appends `text` quoted; control characters become `\uXXXX`, and with `escapingLineSeparators` so do
    /// U+2028/U+2029 (for line-oriented output that must stay one line in every reader).
    public static func appendQuoted(_ text: String, to output: inout String, escapingLineSeparators: Bool = false) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case let control where control.value < 0x20
                || (escapingLineSeparators && (control.value == 0x2028 || control.value == 0x2029)):
                let hex = String(control.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}

/// Plain JSON as parsed by Foundation, before the data-model rules apply.
enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int64.self) {
            self = .integer(number)
        } else if let number = try? container.decode(Double.self) {
            // Integral JSON numbers such as 123.0 are integers in the data model; real fractions are not allowed.
            guard number.rounded() == number, abs(number) < 9.2e18, let exact = Int64(exactly: number) else {
                throw DataJSONError.floatNotAllowed
            }
            self = .integer(exact)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([JSONValue].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}
