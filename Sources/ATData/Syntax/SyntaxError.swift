/// The identifier formats checked by the `Syntax` validators, named in `SyntaxError`.
public enum SyntaxKind: String, Sendable, Hashable, CaseIterable {
    case did
    case handle
    case nsid
    case tid
    case recordKey
    case atURI
    case atIdentifier
    case datetime
    case cid
    case uri
    case language
}

/// A calendar or clock field of a datetime, named when its value is out of range.
public enum DatetimeField: String, Sendable, Hashable {
    case year, month, day, hour, minute, second, offsetHour, offsetMinute
}

/// Why a string failed an identifier syntax check. Offsets count UTF-8 bytes from the start of the input.
public enum SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input was empty.
    case empty(SyntaxKind)
    /// The input is longer than the format allows (UTF-8 bytes).
    case tooLong(SyntaxKind, maximum: Int)
    /// The input is shorter than the format allows (UTF-8 bytes).
    case tooShort(SyntaxKind, minimum: Int)
    /// The format has a fixed length (TID: 13) and the input has another.
    case wrongLength(SyntaxKind, expected: Int)
    /// The input does not start with the format's fixed prefix (`did:`, `at://`).
    case missingPrefix(SyntaxKind, expected: String)
    /// The input ends where a further part was required (e.g. `did:method` without `:identifier`).
    case incomplete(SyntaxKind)
    /// A byte that is not allowed at this position.
    case unexpectedCharacter(SyntaxKind, offset: Int)
    /// A dot/dash-separated segment (handle label, NSID segment, language subtag) starting at `offset` is empty,
    /// too long, or starts/ends with a forbidden character.
    case invalidSegment(SyntaxKind, offset: Int)
    /// Fewer dot-separated segments than the format requires.
    case tooFewSegments(SyntaxKind, minimum: Int)
    /// A value the grammar admits but the format reserves (record key `.`/`..`, CIDv0, `-00:00`).
    case reservedValue(SyntaxKind)
    /// A part of a composite identifier (AT-URI authority, collection or record key) failed its own check.
    case invalidComponent(SyntaxKind, component: SyntaxKind)
    /// A datetime field is outside its calendar range (month 13, February 30, hour 25, ...).
    case fieldOutOfRange(DatetimeField)
    /// The value cannot be represented (datetime before year 0 after applying the offset, TID timestamp over 53 bits).
    case outOfRange(SyntaxKind)
    /// A language tag repeats a variant or extension singleton subtag (RFC 5646 §2.2.9).
    case duplicateSubtag(offset: Int)

    /// Human-readable explanation for logs and error bodies.
    public var description: String {
        switch self {
        case .empty(let kind): "\(kind.rawValue): empty"
        case .tooLong(let kind, let maximum): "\(kind.rawValue): longer than \(maximum) bytes"
        case .tooShort(let kind, let minimum): "\(kind.rawValue): shorter than \(minimum) bytes"
        case .wrongLength(let kind, let expected): "\(kind.rawValue): length must be exactly \(expected)"
        case .missingPrefix(let kind, let expected): "\(kind.rawValue): must start with \(expected)"
        case .incomplete(let kind): "\(kind.rawValue): ends before a required part"
        case .unexpectedCharacter(let kind, let offset): "\(kind.rawValue): unexpected character at offset \(offset)"
        case .invalidSegment(let kind, let offset): "\(kind.rawValue): invalid segment at offset \(offset)"
        case .tooFewSegments(let kind, let minimum): "\(kind.rawValue): needs at least \(minimum) segments"
        case .reservedValue(let kind): "\(kind.rawValue): reserved value"
        case .invalidComponent(let kind, let component): "\(kind.rawValue): invalid \(component.rawValue) component"
        case .fieldOutOfRange(let field): "datetime: \(field.rawValue) out of range"
        case .outOfRange(let kind): "\(kind.rawValue): value out of representable range"
        case .duplicateSubtag(let offset): "language: duplicate subtag at offset \(offset)"
        }
    }
}
