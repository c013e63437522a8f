/// A string identifier that has passed its syntax check; coded in JSON as the plain string.
public protocol SyntaxChecked: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Checks `string` and wraps it.
    init(_ string: String) throws(SyntaxError)
    /// The checked string.
    var string: String { get }
}

extension SyntaxChecked {
    /// The checked string.
    public var description: String { string }

    /// Decodes a JSON string and checks it; a syntax failure becomes `DecodingError.dataCorrupted`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            try self.init(raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the checked string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }
}
