import Foundation

/// A valid atproto datetime (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`), kept as the original string with its
/// instant in microseconds since the Unix epoch.
///
/// Two levels: `isValidSyntax` is the grammar alone (what the `datetime` format regex accepts); `init` also checks
/// the calendar (month 1–12, day within the month, hour < 24, ...) and that the instant is not before year 0.
public struct Datetime: SyntaxChecked, Comparable {
    /// Longest accepted datetime string in bytes.
    public static let maxLength = 64

    /// The checked string, exactly as given (re-emit this rather than a reformatted value).
    public let string: String
    /// The instant in microseconds since 1970-01-01T00:00:00Z (negative before 1970; extra fraction digits truncated).
    public let microsecondsSinceEpoch: Int64

    /// Parses `string`: grammar, calendar ranges, and the year-0 lower bound.
    public init(_ string: String) throws(SyntaxError) {
        var fields = Fields()
        if let error = string.checkUTF8({ Datetime.scan($0, into: &fields) }) { throw error }
        self.microsecondsSinceEpoch = try fields.instant()
        self.string = string
    }

    /// Formats an instant as `YYYY-MM-DDTHH:MM:SS.sssZ` (millisecond precision, truncated).
    /// Throws if the instant is outside years 0000–9999.
    public init(microsecondsSinceEpoch: Int64) throws(SyntaxError) {
        let millis = Self.floorDivide(microsecondsSinceEpoch, 1000)
        guard millis >= Self.minimumMilliseconds, millis <= Self.maximumMilliseconds else {
            throw .fieldOutOfRange(.year)
        }
        self.string = Self.format(milliseconds: millis)
        self.microsecondsSinceEpoch = millis * 1000
    }

    /// Formats `date` as `YYYY-MM-DDTHH:MM:SS.sssZ`. Throws if it is outside years 0000–9999.
    public init(date: Date) throws(SyntaxError) {
        let millis = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard millis >= Double(Self.minimumMilliseconds), millis <= Double(Self.maximumMilliseconds) else {
            throw .fieldOutOfRange(.year)
        }
        try self.init(microsecondsSinceEpoch: Int64(millis) * 1000)
    }

    /// The current time as `YYYY-MM-DDTHH:MM:SS.sssZ`.
    public static func now() -> Datetime {
        let reading = (Date().timeIntervalSince1970 * 1000).rounded(.down)
        let millis = reading.isNaN ? 0 : reading
        let clamped = Int64(max(Double(minimumMilliseconds), min(Double(maximumMilliseconds), millis)))
        return Datetime(string: format(milliseconds: clamped), microseconds: clamped * 1000)
    }

    private init(string: String, microseconds: Int64) {
        self.string = string
        self.microsecondsSinceEpoch = microseconds
    }

    /// True if `string` is valid, including the calendar checks.
    public static func isValid(_ string: String) -> Bool { (try? Datetime(string)) != nil }

    /// Throws the reason `string` is not a valid datetime.
    public static func validate(_ string: String) throws(SyntaxError) { _ = try Datetime(string) }

    /// True if `string` matches the datetime grammar, without calendar checks.
    public static func isValidSyntax(_ string: String) -> Bool {
        var fields = Fields()
        return string.checkUTF8 { scan($0, into: &fields) } == nil
    }

    /// The instant as a `Date` (microsecond precision, subject to `Double` rounding).
    public var date: Date { Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000) }

    /// Orders by instant; two spellings of one instant are ordered by their bytes, which keeps `<` consistent with
    /// the string-based `==`.
    public static func < (lhs: Datetime, rhs: Datetime) -> Bool {
        if lhs.microsecondsSinceEpoch != rhs.microsecondsSinceEpoch {
            return lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
        }
        return lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8)
    }

    /// Equality and hashing use the original string (two spellings of one instant are different values).
    public static func == (lhs: Datetime, rhs: Datetime) -> Bool { lhs.string == rhs.string }

    /// Hashes the original string.
    public func hash(into hasher: inout Hasher) { hasher.combine(string) }

    /// Numeric fields read by the grammar scan, checked for range by `instant()`.
    struct Fields {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var microsecond = 0
        /// Offset east of UTC in minutes (`-07:00` → -420).
        var offsetMinutes = 0
        var offsetHour = 0, offsetMinute = 0
    }

    /// Reads `count` ASCII digits at `offset` as a number, or nil.
    @inline(__always)
    static func number(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> Int? {
        var value = 0
        for index in offset..<offset + count {
            let byte = bytes[index]
            guard ASCII.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte &- UInt8(ascii: "0"))
        }
        return value
    }

    /// Grammar: `DDDD-DD-DDTDD:DD:DD(.D+)?(Z|[+-]DD:DD)`, `-00:00` refused, at most 64 bytes.
    static func scan(_ bytes: UnsafeRawBufferPointer, into fields: inout Fields) -> SyntaxError? {
        let count = bytes.count
        if count == 0 { return .empty(.datetime) }
        if count > maxLength { return .tooLong(.datetime, maximum: maxLength) }
        // "YYYY-MM-DDTHH:MM:SS" is 19 bytes; the shortest zone ("Z") makes 20.
        if count < 20 { return .tooShort(.datetime, minimum: 20) }
        if let offset = expect(bytes, "-", at: 4) ?? expect(bytes, "-", at: 7) ?? expect(bytes, "T", at: 10)
            ?? expect(bytes, ":", at: 13) ?? expect(bytes, ":", at: 16)
        {
            return .unexpectedCharacter(.datetime, offset: offset)
        }
        guard let year = number(bytes, 0, 4) else { return .unexpectedCharacter(.datetime, offset: 0) }
        guard let month = number(bytes, 5, 2) else { return .unexpectedCharacter(.datetime, offset: 5) }
        guard let day = number(bytes, 8, 2) else { return .unexpectedCharacter(.datetime, offset: 8) }
        guard let hour = number(bytes, 11, 2) else { return .unexpectedCharacter(.datetime, offset: 11) }
        guard let minute = number(bytes, 14, 2) else { return .unexpectedCharacter(.datetime, offset: 14) }
        guard let second = number(bytes, 17, 2) else { return .unexpectedCharacter(.datetime, offset: 17) }
        fields.year = year
        fields.month = month
        fields.day = day
        fields.hour = hour
        fields.minute = minute
        fields.second = second

        var index = 19
        if bytes[index] == ASCII.dot {
            index += 1
            let fractionStart = index
            var micros = 0
            while index < count, ASCII.isDigit(bytes[index]) {
                // Digits past the sixth are below a microsecond and are dropped.
                if index - fractionStart < 6 { micros = micros * 10 + Int(bytes[index] &- UInt8(ascii: "0")) }
                index += 1
            }
            if index == fractionStart { return .unexpectedCharacter(.datetime, offset: index) }
            for _ in min(index - fractionStart, 6)..<6 { micros *= 10 }
            fields.microsecond = micros
        }

        guard index < count else { return .incomplete(.datetime) }
        let zone = bytes[index]
        if zone == UInt8(ascii: "Z") {
            return index + 1 == count ? nil : .unexpectedCharacter(.datetime, offset: index + 1)
        }
        guard zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-") else {
            return .unexpectedCharacter(.datetime, offset: index)
        }
        guard count - index == 6 else { return .wrongLength(.datetime, expected: index + 6) }
        if let offset = expect(bytes, ":", at: index + 3) { return .unexpectedCharacter(.datetime, offset: offset) }
        guard let offsetHour = number(bytes, index + 1, 2), let offsetMinute = number(bytes, index + 4, 2) else {
            return .unexpectedCharacter(.datetime, offset: index + 1)
        }
        // RFC 3339 reads "-00:00" as "offset unknown"; ISO 8601 forbids it, so the intersection refuses it.
        if zone == UInt8(ascii: "-") && offsetHour == 0 && offsetMinute == 0 { return .reservedValue(.datetime) }
        fields.offsetHour = offsetHour
        fields.offsetMinute = offsetMinute
        let magnitude = offsetHour * 60 + offsetMinute
        fields.offsetMinutes = zone == UInt8(ascii: "-") ? -magnitude : magnitude
        return nil
    }

    /// Nil if `bytes[offset]` is `character`, else `offset`.
    @inline(__always)
    private static func expect(_ bytes: UnsafeRawBufferPointer, _ character: Unicode.Scalar, at offset: Int) -> Int? {
        bytes[offset] == UInt8(ascii: character) ? nil : offset
    }
}
