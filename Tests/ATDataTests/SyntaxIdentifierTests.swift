import ATData
import Foundation
import Testing

@Suite("Identifier syntax")
struct SyntaxIdentifierTests {
    @Test("DID parts, limits and errors")
    func did() throws {
        let did = try DID("did:plc:7iza6de2dwap2sbkpav7c6c6")
        #expect(did.method == "plc")
        #expect(did.identifier == "7iza6de2dwap2sbkpav7c6c6")
        #expect(did.isPLC && !did.isWeb)
        #expect(try DID("did:web:localhost%3A1234").isWeb)
        let longest = "did:m:" + String(repeating: "v", count: DID.maxLength - 6)
        #expect(DID.isValid(longest))
        #expect(throws: SyntaxError.tooLong(.did, maximum: 2048)) { try DID(longest + "v") }
        #expect(throws: SyntaxError.empty(.did)) { try DID("") }
        #expect(throws: SyntaxError.missingPrefix(.did, expected: "did:")) { try DID("DID:plc:abc") }
        #expect(throws: SyntaxError.incomplete(.did)) { try DID("did:plc") }
        #expect(throws: SyntaxError.unexpectedCharacter(.did, offset: 5)) { try DID("did:m1:abc") }
        #expect(throws: SyntaxError.unexpectedCharacter(.did, offset: 9)) { try DID("did:m:abc:") }
        #expect(throws: SyntaxError.unexpectedCharacter(.did, offset: 9)) { try DID("did:m:abcé") }
    }

    @Test("handles are normalized to lowercase")
    func handleNormalization() throws {
        let handle = try Handle("John.Bsky.SOCIAL")
        #expect(handle.string == "john.bsky.social")
        #expect(handle == (try Handle("john.bsky.social")))
        #expect(handle.tld == "social")
        let bytes = Array("XX.LCS.MIT.EDU".utf8)
        #expect(try bytes.withUnsafeBytes { try Handle(utf8: $0) }.string == "xx.lcs.mit.edu")
        #expect(try Handle("HANDLE.INVALID").isInvalidSentinel)
        #expect(try Handle("laptop.local").hasDisallowedTLD)
        #expect(try !Handle("alice.test").hasDisallowedTLD)
    }

    @Test("handle limits and errors")
    func handleErrors() {
        let label = String(repeating: "a", count: 63)
        let longest = [label, label, label, String(repeating: "b", count: 61)].joined(separator: ".")
        #expect(longest.utf8.count == 253)
        #expect(Handle.isValid(longest))
        #expect(throws: SyntaxError.tooLong(.handle, maximum: 253)) { try Handle(longest + "b") }
        #expect(throws: SyntaxError.tooFewSegments(.handle, minimum: 2)) { try Handle("localhost") }
        #expect(throws: SyntaxError.invalidSegment(.handle, offset: 5)) { try Handle("john.0") }
        #expect(throws: SyntaxError.invalidSegment(.handle, offset: 0)) { try Handle("-john.test") }
        #expect(throws: SyntaxError.invalidSegment(.handle, offset: 5)) { try Handle("john..test") }
        #expect(throws: SyntaxError.unexpectedCharacter(.handle, offset: 2)) { try Handle("jo_hn.test") }
    }

    @Test("NSID parts and normalization")
    func nsid() throws {
        let nsid = try NSID("App.Bsky.feed.postV2")
        #expect(nsid.name == "postV2")
        #expect(nsid.authority == "feed.bsky.app")
        #expect(nsid.normalized.string == "app.bsky.feed.postV2")
        #expect(throws: SyntaxError.tooFewSegments(.nsid, minimum: 3)) { try NSID("com.example") }
        #expect(throws: SyntaxError.invalidSegment(.nsid, offset: 12)) { try NSID("com.example.2foo") }
        #expect(throws: SyntaxError.unexpectedCharacter(.nsid, offset: 13)) { try NSID("com.example.f-oo") }
        #expect(throws: SyntaxError.unexpectedCharacter(.nsid, offset: 0)) { try NSID("0com.example.foo") }
        let longest = "com." + Array(repeating: String(repeating: "a", count: 62), count: 4).joined(separator: ".")
            + "." + String(repeating: "n", count: 61)
        #expect(longest.utf8.count == 317)
        #expect(NSID.isValid(longest))
        #expect(throws: SyntaxError.tooLong(.nsid, maximum: 317)) { try NSID(longest + "n") }
    }

    @Test("record key limits and reserved values")
    func recordKey() throws {
        #expect(RecordKey.isValid(String(repeating: "o", count: 512)))
        #expect(throws: SyntaxError.tooLong(.recordKey, maximum: 512)) {
            try RecordKey(String(repeating: "o", count: 513))
        }
        #expect(throws: SyntaxError.reservedValue(.recordKey)) { try RecordKey("..") }
        #expect(throws: SyntaxError.reservedValue(.recordKey)) { try RecordKey(".") }
        #expect(throws: SyntaxError.empty(.recordKey)) { try RecordKey("") }
        #expect(try RecordKey("...").string == "...")
        #expect(try RecordKey("a") < RecordKey("b"))
    }

    @Test("AT-URI components")
    func atURI() throws {
        let uri = try ATURI("at://did:plc:asdf123/app.bsky.feed.post/3jzfcijpj2z2a")
        #expect(uri.authority == .did(try DID("did:plc:asdf123")))
        #expect(uri.collection == (try NSID("app.bsky.feed.post")))
        #expect(uri.recordKey == (try RecordKey("3jzfcijpj2z2a")))
        let bare = try ATURI("at://Alice.Test")
        #expect(bare.authority.handle == (try Handle("alice.test")))
        #expect(bare.string == "at://Alice.Test")
        #expect(bare.collection == nil && bare.recordKey == nil)
        let built = try ATURI(
            authority: .handle(try Handle("alice.test")), collection: try NSID("app.bsky.feed.post"),
            recordKey: try RecordKey("self"))
        #expect(built.string == "at://alice.test/app.bsky.feed.post/self")
        #expect(try ATURI(built.string) == built)
        #expect(throws: SyntaxError.incomplete(.atURI)) {
            try ATURI(authority: .handle(try Handle("alice.test")), recordKey: try RecordKey("self"))
        }
        #expect(throws: SyntaxError.invalidComponent(.atURI, component: .nsid)) { try ATURI("at://alice.test/12345") }
        #expect(throws: SyntaxError.invalidComponent(.atURI, component: .recordKey)) {
            try ATURI("at://alice.test/app.bsky.feed.post/a/b")
        }
        #expect(throws: SyntaxError.missingPrefix(.atURI, expected: "at://")) { try ATURI("AT://alice.test") }
    }

    @Test("at-identifier picks DID or handle")
    func atIdentifier() throws {
        #expect(try ATIdentifier("did:web:example.com").did != nil)
        #expect(try ATIdentifier("Example.com") == .handle(try Handle("example.com")))
        #expect(throws: SyntaxError.invalidComponent(.atIdentifier, component: .did)) { try ATIdentifier("did:thing") }
        #expect(throws: SyntaxError.invalidComponent(.atIdentifier, component: .handle)) { try ATIdentifier("blah") }
    }

    @Test("language tags: well-formedness versus duplicate subtags")
    func language() throws {
        #expect(try LanguageTag("pt-BR").primaryLanguage == "pt")
        #expect(try LanguageTag("x-private").primaryLanguage == nil)
        #expect(LanguageTag.isWellFormed("de-DE-1901-1901"))
        #expect(throws: SyntaxError.duplicateSubtag(offset: 11)) { try LanguageTag("de-DE-1901-1901") }
        #expect(throws: SyntaxError.duplicateSubtag(offset: 16)) { try LanguageTag("en-u-co-phonebk-U-ca-buddhist") }
        #expect(LanguageTag.isValid("sgn-BE-NL"))
        #expect(!LanguageTag.isValid("en-a"))
        #expect(!LanguageTag.isValid("x"))
    }

    @Test("generic URI and CID string checks")
    func uriAndCID() throws {
        #expect(try URIString("https://example.com/a?b#c").scheme == "https")
        #expect(throws: SyntaxError.unexpectedCharacter(.uri, offset: 24)) {
            try URIString("https://example.com/path gap")
        }
        #expect(throws: SyntaxError.reservedValue(.cid)) {
            try CID.validateSyntax("QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR")
        }
        let real = CID.compute(of: Data("hello".utf8))
        #expect(CID.isValidSyntax(real.string))
    }

    @Test("identifiers code as plain JSON strings and reject bad input")
    func codable() throws {
        struct Envelope: Codable, Equatable {
            let did: DID
            let handle: Handle
            let uri: ATURI
            let createdAt: Datetime
        }
        let json = #"{"did":"did:plc:abc","handle":"Bob.Test","#
            + #""uri":"at://did:plc:abc/app.bsky.feed.post/x","createdAt":"2024-01-02T03:04:05.678Z"}"#
        let decoded = try JSONDecoder().decode(Envelope.self, from: Data(json.utf8))
        #expect(decoded.handle.string == "bob.test")
        #expect(decoded.uri.recordKey?.string == "x")
        let again = try JSONDecoder().decode(Envelope.self, from: JSONEncoder().encode(decoded))
        #expect(again == decoded)
        let bad = json.replacingOccurrences(of: "did:plc:abc\",", with: "did:PLC:abc\",")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Envelope.self, from: Data(bad.utf8)) }
    }
}
