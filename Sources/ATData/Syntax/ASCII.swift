/// Byte classes for the identifier grammars. Unsigned wrap-around subtraction turns each range test into one compare.
enum ASCII {
    static let hyphen = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let colon = UInt8(ascii: ":")
    static let slash = UInt8(ascii: "/")

    @inline(__always) static func isLower(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inline(__always) static func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlphanumeric(_ byte: UInt8) -> Bool { isAlpha(byte) || isDigit(byte) }

    /// ASCII lowercase of one byte (non-letters unchanged).
    @inline(__always) static func lowercased(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte | 0x20 : byte }

    /// True if `bytes` starts with the ASCII `prefix`.
    @inline(__always)
    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        let start = prefix.utf8Start
        for index in 0..<count where bytes[index] != start[index] { return false }
        return true
    }
}

extension String {
    /// Runs a byte-level check over this string's UTF-8 without copying native strings.
    @inline(__always)
    func checkUTF8(_ check: (UnsafeRawBufferPointer) -> SyntaxError?) -> SyntaxError? {
        var copy = self
        return copy.withUTF8 { check(UnsafeRawBufferPointer($0)) }
    }

    /// Builds a string from bytes already checked to be ASCII (no validation pass needed).
    @inline(__always)
    init(checkedASCII bytes: UnsafeRawBufferPointer) {
        self = String(decoding: bytes, as: UTF8.self)
    }
}
