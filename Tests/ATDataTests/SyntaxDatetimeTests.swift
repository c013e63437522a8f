import ATData
import Foundation
import Testing

@Suite("Datetime")
struct SyntaxDatetimeTests {
    /// Expected instants computed independently (Python `calendar.timegm`).
    @Test("parses to microseconds since the epoch", arguments: [
        ("1985-04-12T23:20:50.123Z", Int64(482_196_050_123_000)),
        ("1985-04-12T23:20:50Z", Int64(482_196_050_000_000)),
        ("1985-04-12T23:20:50.1234567Z", Int64(482_196_050_123_456)),
        ("1985-04-12T23:20:50.1Z", Int64(482_196_050_100_000)),
        ("1985-04-12T23:20:50.123-07:00", Int64(482_196_050_123_000 + 7 * 3_600_000_000)),
        ("1985-04-12T23:20:50.123+01:45", Int64(482_196_050_123_000 - 105 * 60_000_000)),
        ("1970-01-01T00:00:00.000Z", Int64(0)),
        ("1969-12-31T23:59:59.999999Z", Int64(-1)),
        ("2000-02-29T00:00:00Z", Int64(951_782_400_000_000)),
        ("0000-01-01T00:00:00.000Z", Int64(-62_167_219_200_000_000)),
        ("9999-12-31T23:59:59.999Z", Int64(253_402_300_799_999_000)),
    ])
    func parseValues(string: String, micros: Int64) throws {
        let datetime = try Datetime(string)
        #expect(datetime.microsecondsSinceEpoch == micros)
        #expect(datetime.string == string)
    }

    @Test("semantic failures name the field", arguments: [
        ("1985-00-12T23:20:50.123Z", SyntaxError.fieldOutOfRange(.month)),
        ("1985-13-12T23:20:50.123Z", .fieldOutOfRange(.month)),
        ("1985-04-31T23:20:50.123Z", .fieldOutOfRange(.day)),
        ("1985-02-29T23:20:50.123Z", .fieldOutOfRange(.day)),
        ("1900-02-29T00:00:00Z", .fieldOutOfRange(.day)),
        ("2023-02-30T00:00:00Z", .fieldOutOfRange(.day)),
        ("1985-04-12T24:00:00Z", .fieldOutOfRange(.hour)),
        ("1985-04-12T23:60:00Z", .fieldOutOfRange(.minute)),
        ("1985-04-12T23:59:60Z", .fieldOutOfRange(.second)),
        ("1985-04-12T23:20:50+24:00", .fieldOutOfRange(.offsetHour)),
        ("1985-04-12T23:20:50+01:60", .fieldOutOfRange(.offsetMinute)),
        ("0000-01-01T00:00:00+01:00", .outOfRange(.datetime)),
        ("1985-04-12T23:20:50.123-00:00", .reservedValue(.datetime)),
        ("1985-04-12T23:20:50.123", .incomplete(.datetime)),
        ("1985-04-12 23:20:50.123Z", .unexpectedCharacter(.datetime, offset: 10)),
        ("", .empty(.datetime)),
    ])
    func semanticErrors(string: String, error: SyntaxError) {
        #expect(throws: error) { try Datetime(string) }
    }

    @Test("formats as YYYY-MM-DDTHH:MM:SS.sssZ, truncating to milliseconds", arguments: [
        (Int64(482_196_050_123_456), "1985-04-12T23:20:50.123Z"),
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(-1), "1969-12-31T23:59:59.999Z"),
        (Int64(951_782_400_000_000), "2000-02-29T00:00:00.000Z"),
        (Int64(-62_167_219_200_000_000), "0000-01-01T00:00:00.000Z"),
        (Int64(253_402_300_799_999_999), "9999-12-31T23:59:59.999Z"),
    ])
    func format(micros: Int64, string: String) throws {
        let datetime = try Datetime(microsecondsSinceEpoch: micros)
        #expect(datetime.string == string)
        #expect(try Datetime(string).microsecondsSinceEpoch == datetime.microsecondsSinceEpoch)
    }

    @Test("formatting refuses instants outside years 0000-9999")
    func formatRange() {
        #expect(throws: SyntaxError.fieldOutOfRange(.year)) {
            try Datetime(microsecondsSinceEpoch: -62_167_219_200_000_001)
        }
        #expect(throws: SyntaxError.fieldOutOfRange(.year)) {
            try Datetime(microsecondsSinceEpoch: 253_402_300_800_000_000)
        }
    }

    @Test("calendar arithmetic agrees with Foundation across many instants")
    func agreesWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SplitMix64(seed: 42)
        let span: ClosedRange<Int64> = -5_000_000_000...8_000_000_000  // about 1811 to 2223, in seconds
        for _ in 0..<2000 {
            let seconds = Int64.random(in: span, using: &generator)
            let datetime = try Datetime(microsecondsSinceEpoch: seconds * 1_000_000)
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
            let expected = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.000Z", parts.year ?? -1, parts.month ?? -1, parts.day ?? -1,
                parts.hour ?? -1, parts.minute ?? -1, parts.second ?? -1)
            #expect(datetime.string == expected)
            #expect(try Datetime(expected).microsecondsSinceEpoch == seconds * 1_000_000)
        }
    }

    @Test("now() and Datetime(date:) produce the preferred form")
    func now() throws {
        let now = Datetime.now()
        #expect(now.string.utf8.count == 24)
        #expect(now.string.hasSuffix("Z"))
        #expect(abs(now.date.timeIntervalSinceNow) < 60)
        #expect(try Datetime(now.string) == now)
        let fromDate = try Datetime(date: Date(timeIntervalSince1970: 482_196_050.123_9))
        #expect(fromDate.string == "1985-04-12T23:20:50.123Z")
    }

    @Test("syntax check alone accepts calendar nonsense that parsing refuses")
    func syntaxVersusParse() {
        #expect(Datetime.isValidSyntax("1985-02-30T99:99:99Z"))
        #expect(!Datetime.isValid("1985-02-30T99:99:99Z"))
        #expect(!Datetime.isValidSyntax("1985-02-30T99:99:99"))
    }

    @Test("ordering follows the instant; equality the string")
    func ordering() throws {
        let utc = try Datetime("1985-04-12T23:20:50Z")
        let shifted = try Datetime("1985-04-12T16:20:50-07:00")
        #expect(utc.microsecondsSinceEpoch == shifted.microsecondsSinceEpoch)
        #expect(utc != shifted)
        // Same instant: ordered by the string bytes, so `<` stays consistent with `==`.
        #expect(shifted < utc)
        #expect(!(utc < shifted))
        #expect(try Datetime("1985-04-12T23:20:49.999Z") < utc)
    }
}
