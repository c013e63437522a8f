import Foundation
import Testing

/// Loads the line-per-case files in `../shared/interop/syntax` byte-exactly.
enum SyntaxFixtures {
    /// `<package root>/../shared/interop/syntax`, from this file's path (Tests/ATDataTests/<file> → three levels up).
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/interop/syntax").standardizedFileURL

    /// One case: the exact bytes of a line (no trimming) and its 1-based line number.
    struct Case: Sendable, CustomStringConvertible {
        let line: Int
        let bytes: [UInt8]
        /// The line as a string; nil if it is not valid UTF-8.
        var text: String? { String(validating: bytes, as: UTF8.self) }
        var description: String { "line \(line): \(String(decoding: bytes.prefix(80), as: UTF8.self))" }
    }

    /// The raw bytes of a fixture file.
    static func data(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// Cases of a file: lines split on 0x0A only, skipping empty lines and lines starting with `#`.
    static func cases(_ name: String) throws -> [Case] {
        var result: [Case] = []
        var lineNumber = 0
        for line in try data(name).split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            result.append(Case(line: lineNumber, bytes: Array(line)))
        }
        return result
    }

    /// Independent count of case lines: newline-terminated records counted with a byte scan, no splitting.
    static func countCaseLines(_ name: String) throws -> Int {
        let bytes = try data(name)
        var count = 0
        var atLineStart = true
        var lineIsCase = false
        for byte in bytes {
            if atLineStart {
                lineIsCase = byte != 0x0A && byte != UInt8(ascii: "#")
                if lineIsCase { count += 1 }
            }
            atLineStart = byte == 0x0A
        }
        return count
    }
}
