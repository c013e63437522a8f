import Testing

@testable import ATIdentity

/// DID and handle syntax, and which DID forms the resolver accepts.
@Suite struct SyntaxTests {
    @Test func didSyntax() {
        for valid in ["did:plc:ewvi7nxzyoun6zhxrhs64oiz", "did:web:example.com", "did:method:val:two", "did:m:v%3A1"] {
            #expect(DIDSyntax.isValid(valid), "\(valid)")
        }
        for invalid in [
            "", "did:", "did:plc:", "did:PLC:abc", "did:plc:abc:", "did:plc:abc%", "DID:plc:abc", "did:plc:a b",
            "did:plc:abc#frag", "did:plc:abc?q", "did:plc:é", "did:plc:" + String(repeating: "a", count: 2041),
        ] {
            #expect(!DIDSyntax.isValid(invalid), "\(invalid)")
        }
    }

    @Test func supportedMethods() throws {
        #expect(try DIDSyntax.method(of: "did:plc:ewvi7nxzyoun6zhxrhs64oiz", allowLocalPort: false) == .plc)
        #expect(try DIDSyntax.method(of: "did:web:Example.COM", allowLocalPort: false) == .web(host: "example.com"))
        #expect(
            try DIDSyntax.method(of: "did:web:localhost%3A8080", allowLocalPort: true) == .web(host: "localhost:8080"))
        #expect(throws: IdentityError.unsupportedMethod("did:web:localhost%3A8080")) {
            try DIDSyntax.method(of: "did:web:localhost%3A8080", allowLocalPort: false)
        }
        #expect(throws: IdentityError.unsupportedMethod("did:web:example.com%3A8080")) {
            try DIDSyntax.method(of: "did:web:example.com%3A8080", allowLocalPort: true)
        }
        #expect(throws: IdentityError.unsupportedMethod("did:web:example.com:path")) {
            try DIDSyntax.method(of: "did:web:example.com:path", allowLocalPort: true)
        }
        #expect(throws: IdentityError.unsupportedMethod("did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc")) {
            try DIDSyntax.method(of: "did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc", allowLocalPort: false)
        }
        for badPLC in [
            "did:plc:ewvi7nxzyoun6zhxrhs64oi", "did:plc:ewvi7nxzyoun6zhxrhs64oiz1", "did:plc:EWVI7NXZYOUN6ZHXRHS64OIZ",
            "did:plc:ewvi7nxzyoun6zhxrhs64oi0",
        ] {
            #expect(throws: IdentityError.invalidDID(badPLC)) {
                try DIDSyntax.method(of: badPLC, allowLocalPort: false)
            }
        }
        #expect(throws: IdentityError.invalidDID("not a did")) {
            try DIDSyntax.method(of: "not a did", allowLocalPort: false)
        }
    }

    @Test func handleSyntax() {
        #expect(HandleSyntax.normalize("Alice.Example.COM") == "alice.example.com")
        #expect(HandleSyntax.normalize("xn--ls8h.test") == "xn--ls8h.test")
        #expect(HandleSyntax.normalize("a.b-c.d") == "a.b-c.d")
        for invalid in [
            "", "example", "alice.example.", ".example.com", "-a.example.com", "a-.example.com", "a..com",
            "a.com1x.1com",
            "al ice.com", "alice.com/", "alïce.com", String(repeating: "a", count: 64) + ".com",
            String(repeating: "abcdefghi.", count: 26) + "com",
        ] {
            #expect(HandleSyntax.normalize(invalid) == nil, "\(invalid)")
        }
        #expect(HandleSyntax.isResolvable("alice.example.com", allowTest: false))
        #expect(!HandleSyntax.isResolvable("alice.test", allowTest: false))
        #expect(HandleSyntax.isResolvable("alice.test", allowTest: true))
        for tld in ["alt", "arpa", "example", "internal", "invalid", "local", "localhost", "onion"] {
            #expect(!HandleSyntax.isResolvable("alice." + tld, allowTest: true))
        }
    }
}
