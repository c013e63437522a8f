import ATData
import Foundation
import Testing

/// Every fixture file of `shared/interop/syntax`, with what its lines must do and how many it holds.
enum SyntaxFixtureFile: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case didValid = "did_syntax_valid.txt", didInvalid = "did_syntax_invalid.txt"
    case handleValid = "handle_syntax_valid.txt", handleInvalid = "handle_syntax_invalid.txt"
    case nsidValid = "nsid_syntax_valid.txt", nsidInvalid = "nsid_syntax_invalid.txt"
    case tidValid = "tid_syntax_valid.txt", tidInvalid = "tid_syntax_invalid.txt"
    case recordKeyValid = "recordkey_syntax_valid.txt", recordKeyInvalid = "recordkey_syntax_invalid.txt"
    case atURIValid = "aturi_syntax_valid.txt", atURIInvalid = "aturi_syntax_invalid.txt"
    case atIdentifierValid = "atidentifier_syntax_valid.txt", atIdentifierInvalid = "atidentifier_syntax_invalid.txt"
    case datetimeValid = "datetime_syntax_valid.txt", datetimeInvalid = "datetime_syntax_invalid.txt"
    case datetimeParseInvalid = "datetime_parse_invalid.txt"
    case cidValid = "cid_syntax_valid.txt", cidInvalid = "cid_syntax_invalid.txt"
    case uriValid = "uri_syntax_valid.txt", uriInvalid = "uri_syntax_invalid.txt"
    case languageValid = "language_syntax_valid.txt", languageInvalid = "language_syntax_invalid.txt"
    case languageParseInvalid = "language_parse_invalid.txt"

    var testDescription: String { rawValue }

    /// Case lines per file, counted independently when the fixtures were copied (a change means the loader or the
    /// fixtures changed, both worth a look).
    var expectedCount: Int {
        switch self {
        case .didValid: 24
        case .didInvalid: 18
        case .handleValid: 71
        case .handleInvalid: 48
        case .nsidValid: 25
        case .nsidInvalid: 27
        case .tidValid: 4
        case .tidInvalid: 9
        case .recordKeyValid: 16
        case .recordKeyInvalid: 11
        case .atURIValid: 23
        case .atURIInvalid: 72
        case .atIdentifierValid: 11
        case .atIdentifierInvalid: 22
        case .datetimeValid: 35
        case .datetimeInvalid: 45
        case .datetimeParseInvalid: 7
        case .cidValid: 8
        case .cidInvalid: 10
        case .uriValid: 9
        case .uriInvalid: 12
        case .languageValid: 18
        case .languageInvalid: 7
        case .languageParseInvalid: 4
        }
    }

    /// Verdicts of every relevant entry point: (syntax-level checks, full parse checks).
    /// Syntax-only files expect both lists to agree; `*_parse_invalid` expects syntax true and parse false.
    func verdicts(_ text: String, _ bytes: [UInt8]) -> (syntax: [Bool], parse: [Bool]) {
        func accepts(_ body: () throws -> Void) -> Bool {
            do { try body(); return true } catch { return false }
        }
        func raw(_ body: (UnsafeRawBufferPointer) -> Bool) -> Bool { bytes.withUnsafeBytes(body) }
        switch self {
        case .didValid, .didInvalid:
            let all = [
                DID.isValid(text), raw(DID.isValid(utf8:)), accepts { _ = try DID(text) },
                accepts { try DID.validate(text) }, raw { buffer in accepts { _ = try DID(utf8: buffer) } },
            ]
            return (all, all)
        case .handleValid, .handleInvalid:
            let all = [
                Handle.isValid(text), raw(Handle.isValid(utf8:)), accepts { _ = try Handle(text) },
                accepts { try Handle.validate(text) }, raw { buffer in accepts { _ = try Handle(utf8: buffer) } },
            ]
            return (all, all)
        case .nsidValid, .nsidInvalid:
            let all = [
                NSID.isValid(text), raw(NSID.isValid(utf8:)), accepts { _ = try NSID(text) },
                accepts { try NSID.validate(text) }, raw { buffer in accepts { _ = try NSID(utf8: buffer) } },
            ]
            return (all, all)
        case .tidValid, .tidInvalid:
            let all = [
                TID.isValid(text), raw(TID.isValid(utf8:)), accepts { _ = try TID(text) },
                accepts { try TID.validate(text) }, raw { buffer in accepts { _ = try TID(utf8: buffer) } },
            ]
            return (all, all)
        case .recordKeyValid, .recordKeyInvalid:
            let all = [
                RecordKey.isValid(text), raw(RecordKey.isValid(utf8:)), accepts { _ = try RecordKey(text) },
                accepts { try RecordKey.validate(text) },
                raw { buffer in accepts { _ = try RecordKey(utf8: buffer) } },
            ]
            return (all, all)
        case .atURIValid, .atURIInvalid:
            let all = [ATURI.isValid(text), accepts { _ = try ATURI(text) }, accepts { try ATURI.validate(text) }]
            return (all, all)
        case .atIdentifierValid, .atIdentifierInvalid:
            let all = [
                ATIdentifier.isValid(text), accepts { _ = try ATIdentifier(text) },
                accepts { try ATIdentifier.validate(text) },
            ]
            return (all, all)
        case .datetimeValid, .datetimeInvalid, .datetimeParseInvalid:
            return (
                [Datetime.isValidSyntax(text)],
                [Datetime.isValid(text), accepts { _ = try Datetime(text) }, accepts { try Datetime.validate(text) }]
            )
        case .cidValid, .cidInvalid:
            let all = [CID.isValidSyntax(text), accepts { try CID.validateSyntax(text) }]
            return (all, all)
        case .uriValid, .uriInvalid:
            let all = [
                URIString.isValid(text), accepts { _ = try URIString(text) }, accepts { try URIString.validate(text) },
            ]
            return (all, all)
        case .languageValid, .languageInvalid, .languageParseInvalid:
            return (
                [LanguageTag.isWellFormed(text)],
                [LanguageTag.isValid(text), accepts { _ = try LanguageTag(text) },
                 accepts { try LanguageTag.validate(text) }]
            )
        }
    }

    /// (syntax expected valid, parse expected valid).
    var expectation: (syntax: Bool, parse: Bool) {
        switch self {
        case .datetimeParseInvalid, .languageParseInvalid: (true, false)
        default: rawValue.hasSuffix("_valid.txt") ? (true, true) : (false, false)
        }
    }
}

@Suite("Syntax interop fixtures")
struct SyntaxInteropTests {
    @Test("every line of the fixture file behaves as the file name says", arguments: SyntaxFixtureFile.allCases)
    func fixtureFile(_ file: SyntaxFixtureFile) throws {
        let cases = try SyntaxFixtures.cases(file.rawValue)
        let expected = file.expectation
        var run = 0
        for fixture in cases {
            let text = try #require(fixture.text, "\(file.rawValue) \(fixture) is not UTF-8")
            let verdicts = file.verdicts(text, fixture.bytes)
            for (check, verdict) in verdicts.syntax.enumerated() {
                #expect(verdict == expected.syntax, "\(file.rawValue) \(fixture): syntax check #\(check)")
            }
            for (check, verdict) in verdicts.parse.enumerated() {
                #expect(verdict == expected.parse, "\(file.rawValue) \(fixture): parse check #\(check)")
            }
            run += 1
        }
        #expect(run > 0)
        #expect(run == (try SyntaxFixtures.countCaseLines(file.rawValue)))
        #expect(run == file.expectedCount)
    }

    @Test("the file list covers every fixture in the directory")
    func everyFileCovered() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: SyntaxFixtures.directory.path)
            .filter { $0.hasSuffix(".txt") }
        #expect(Set(names) == Set(SyntaxFixtureFile.allCases.map(\.rawValue)))
        #expect(names.count == SyntaxFixtureFile.allCases.count)
    }
}
