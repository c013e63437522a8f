import Foundation
@testable import RelayHTTP
import Testing

/// The admin token: explicit, generated into `<data-dir>/admin-token` (0600), reused, refused when exposed.
@Suite struct AdminTokenTests {
    /// A fresh temporary directory, removed after `body`.
    func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tributary-token-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func explicitTokenWinsAndWritesNothing() throws {
        try withDirectory { directory in
            let (token, source) = try AdminToken.resolve(explicit: "an-explicit-token-123", dataDirectory: directory)
            #expect(source == .explicit && token.value == "an-explicit-token-123")
            #expect(!FileManager.default.fileExists(atPath: AdminToken.filePath(dataDirectory: directory)))
        }
    }

    @Test func malformedTokensAreRefused() {
        #expect(throws: AdminTokenError.self) { try AdminToken("short") }
        #expect(throws: AdminTokenError.self) { try AdminToken("has a space in the middle") }
        #expect(throws: AdminTokenError.self) { try AdminToken("new\nline-0123456789abcdef") }
        #expect(throws: AdminTokenError.self) { try AdminToken(String(repeating: "x", count: 1025)) }
        #expect((try? AdminToken(String(repeating: "x", count: 16))) != nil)
    }

    @Test func generatedOnceWithMode0600ThenReused() throws {
        try withDirectory { directory in
            let path = AdminToken.filePath(dataDirectory: directory)
            #expect(try AdminToken.load(dataDirectory: directory) == nil)
            let (generated, source) = try AdminToken.resolve(explicit: nil, dataDirectory: directory)
            #expect(source == .generated)
            #expect(generated.value.count == 64)
            #expect(generated.value.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(try mode(path) == 0o600)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == generated.value + "\n")

            let (again, againSource) = try AdminToken.resolve(explicit: nil, dataDirectory: directory)
            #expect(againSource == .file && again.value == generated.value)
            #expect(try AdminToken.load(dataDirectory: directory)?.value == generated.value)
        }
        // Two data directories get different tokens.
        var values: [String] = []
        for _ in 0..<2 {
            try withDirectory { directory in
                values.append(try AdminToken.resolve(explicit: nil, dataDirectory: directory).token.value)
            }
        }
        #expect(values.count == 2 && values[0] != values[1])
    }

    @Test func exposedOrOddTokenFilesAreRefused() throws {
        try withDirectory { directory in
            let path = AdminToken.filePath(dataDirectory: directory)
            _ = try AdminToken.resolve(explicit: nil, dataDirectory: directory)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            #expect(throws: AdminTokenError.insecurePermissions(path: path, mode: 0o644)) {
                try AdminToken.resolve(explicit: nil, dataDirectory: directory)
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
            #expect(throws: AdminTokenError.insecurePermissions(path: path, mode: 0o640)) {
                try AdminToken.load(dataDirectory: directory)
            }
            // The file was left as it was (not rewritten, not fixed).
            #expect(try mode(path) == 0o640)
        }
        try withDirectory { directory in
            // A symbolic link in place of the file is not followed.
            let target = (directory as NSString).appendingPathComponent("elsewhere")
            #expect(FileManager.default.createFile(atPath: target, contents: Data("0123456789abcdef0123\n".utf8),
                                                   attributes: [.posixPermissions: 0o600]))
            try FileManager.default.createSymbolicLink(atPath: AdminToken.filePath(dataDirectory: directory),
                                                       withDestinationPath: target)
            #expect(throws: AdminTokenError.self) { try AdminToken.resolve(explicit: nil, dataDirectory: directory) }
        }
        try withDirectory { directory in
            // An empty (or short) file is refused rather than used.
            #expect(FileManager.default.createFile(atPath: AdminToken.filePath(dataDirectory: directory),
                                                   contents: Data(), attributes: [.posixPermissions: 0o600]))
            #expect(throws: AdminTokenError.self) { try AdminToken.resolve(explicit: nil, dataDirectory: directory) }
        }
    }

    @Test func matchingIsExact() throws {
        let token = try AdminToken("0123456789abcdef0123")
        #expect(token.matches(Array("0123456789abcdef0123".utf8)))
        #expect(!token.matches(Array("0123456789abcdef012".utf8)))
        #expect(!token.matches(Array("0123456789abcdef01234".utf8)))
        #expect(!token.matches(Array("1123456789abcdef0123".utf8)))
        #expect(!token.matches([UInt8]()))
    }
}
