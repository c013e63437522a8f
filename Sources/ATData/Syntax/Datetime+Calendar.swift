// Proleptic Gregorian calendar arithmetic for `Datetime`, done on integers so that parsing and formatting need no
// Foundation date formatter or time zone database.

extension Datetime {
    /// 0000-01-01T00:00:00.000Z in milliseconds since the Unix epoch.
    static let minimumMilliseconds: Int64 = Int64(daysFromCivil(year: 0, month: 1, day: 1)) * 86_400_000
    /// 9999-12-31T23:59:59.999Z in milliseconds since the Unix epoch.
    static let maximumMilliseconds: Int64 = Int64(daysFromCivil(year: 10_000, month: 1, day: 1)) * 86_400_000 - 1

    /// Integer division rounding towards negative infinity (instants before 1970 must still truncate downwards).
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// True for Gregorian leap years.
    static func isLeapYear(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// Number of days in `month` (1–12) of `year`.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given date. Counts in 400-year eras (146,097 days each) with years starting in
    /// March, so the leap day falls at the end of the counted year.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let marchYear = month <= 2 ? year - 1 : year
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let marchMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * marchMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysFromCivil`.
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let marchMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * marchMonth + 2) / 5 + 1
        let month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// `YYYY-MM-DDTHH:MM:SS.sssZ` for an instant already known to lie in years 0000–9999.
    static func format(milliseconds: Int64) -> String {
        let days = floorDivide(milliseconds, 86_400_000)
        let inDay = Int(milliseconds - days * 86_400_000)
        let (year, month, day) = civilFromDays(Int(days))
        let fields: [(value: Int, width: Int, suffix: UInt8?)] = [
            (year, 4, UInt8(ascii: "-")), (month, 2, UInt8(ascii: "-")), (day, 2, UInt8(ascii: "T")),
            (inDay / 3_600_000, 2, UInt8(ascii: ":")), (inDay / 60_000 % 60, 2, UInt8(ascii: ":")),
            (inDay / 1000 % 60, 2, UInt8(ascii: ".")), (inDay % 1000, 3, UInt8(ascii: "Z")),
        ]
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var position = 0
            for field in fields {
                var value = field.value
                for digit in stride(from: field.width - 1, through: 0, by: -1) {
                    buffer[position + digit] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                position += field.width
                if let suffix = field.suffix {
                    buffer[position] = suffix
                    position += 1
                }
            }
            return position
        }
    }
}

extension Datetime.Fields {
    /// Checks every field's calendar range and returns the UTC instant in microseconds.
    func instant() throws(SyntaxError) -> Int64 {
        guard (1...12).contains(month) else { throw .fieldOutOfRange(.month) }
        guard day >= 1, day <= Datetime.daysInMonth(year: year, month: month) else { throw .fieldOutOfRange(.day) }
        guard hour < 24 else { throw .fieldOutOfRange(.hour) }
        guard minute < 60 else { throw .fieldOutOfRange(.minute) }
        // Leap second 60 is refused: the instant it names is not representable on the POSIX timeline.
        guard second < 60 else { throw .fieldOutOfRange(.second) }
        guard offsetHour < 24 else { throw .fieldOutOfRange(.offsetHour) }
        guard offsetMinute < 60 else { throw .fieldOutOfRange(.offsetMinute) }
        let days = Int64(Datetime.daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        let micros = seconds * 1_000_000 + Int64(microsecond)
        // A positive offset can move 0000-01-01 into year -1, which the format cannot express.
        guard micros >= Datetime.minimumMilliseconds * 1000 else { throw .outOfRange(.datetime) }
        return micros
    }
}
