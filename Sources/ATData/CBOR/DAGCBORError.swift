/// Why a DAG-CBOR item was rejected; every non-canonical form has its own case so drops can be counted by reason.
public enum DAGCBORError: Error, Equatable, Sendable {
    /// The input ended inside an item.
    case truncated
    /// An integer or length used a longer head than needed.
    case nonCanonicalHead
    /// Indefinite-length strings, arrays or maps (or a break byte).
    case indefiniteLength
    /// Head info values 28–30.
    case reservedInfo
    /// CBOR floats are not part of the atproto data model.
    case floatNotAllowed
    /// Simple values other than false/true/null.
    case simpleValueNotAllowed
    /// A tag other than 42.
    case tagNotAllowed(UInt64)
    /// Tag 42 whose payload is not a byte string with a 0x00 prefix and a valid CID.
    case invalidLink
    /// Text that is not valid UTF-8.
    case invalidUTF8
    /// A map key that is not a text string.
    case mapKeyNotString
    /// Map keys out of length-first bytewise order.
    case mapKeysOutOfOrder
    /// The same map key twice.
    case duplicateMapKey
    /// An integer outside the signed 64-bit range.
    case integerOutOfRange
    /// Bytes after the single top-level item.
    case trailingBytes
    /// Nesting deeper than the configured cap.
    case depthExceeded
    /// Input, string, or collection larger than the configured caps.
    case tooLarge
    /// A value of a different type than the caller expected.
    case unexpectedType(expected: String)
    /// A required map field was absent (fast-path decoders).
    case missingField(String)
}
