import ATCrypto
import ATData
import ATIdentity
import Testing

/// DID document parsing: the atproto key, PDS origin, handle, id check and hardening.
@Suite struct DIDDocumentTests {
    static let did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
    static let key = PrivateKey.generate(curve: .k256).publicKey

    @Test func realDocumentsWithLegacyKeys() throws {
        let fakermaker = try DIDDocument.parse(
            TestSupport.realdata("repos/fakermaker.didDoc.json"), did: "did:plc:dpg45vsnuir2vqqqadsn6afg")
        #expect(fakermaker.handle == "ebert9014-89.test")
        #expect(fakermaker.signingKey?.curve == .p256)
        #expect(fakermaker.pdsEndpoint == "http://localhost:2583")
        #expect(fakermaker.pdsHost == "localhost:2583")
        #expect(fakermaker.isFunctional)

        let paul = try DIDDocument.parse(
            TestSupport.realdata("repos/paul_staging.didDoc.json"), did: "did:plc:cmpvykrzb2l22kj4ojlv3ox4")
        #expect(paul.handle == "paul.staging.bsky.dev")
        #expect(paul.signingKey?.curve == .k256)
        #expect(paul.pdsEndpoint == "https://pds.staging.bsky.dev")
    }

    @Test func greengroundDocumentIsNotTheCommitsDID() throws {
        let bytes = try TestSupport.realdata("repos/greenground.didDoc.json")
        // The `did` field of the signed commit at the root of greenground.repo.car (CBOR text of length 32).
        let commitDID = "did:plc:kzcqyc3unb33eh5sxzsfs25z"
        let car = try TestSupport.realdata("repos/greenground.repo.car")
        let encoded: [UInt8] = Array("cdid".utf8) + [0x78, 0x20] + Array(commitDID.utf8)
        #expect(car.indices.contains { car[$0...].starts(with: encoded) })

        #expect(
            throws: IdentityError.documentIDMismatch(expected: commitDID, found: "did:plc:wqgdnqlv2mwiio6pfchwtrff")
        ) {
            try DIDDocument.parse(bytes, did: commitDID)
        }
        let own = try DIDDocument.parse(bytes, did: "did:plc:wqgdnqlv2mwiio6pfchwtrff")
        #expect(own.handle == "greenground.bsky.social")
        #expect(own.signingKey?.curve == .k256)
    }

    @Test func multikeyDocument() throws {
        let text = TestSupport.document(
            did: Self.did, key: Self.key, pds: "https://PDS.Example.com/", handle: "Alice.Example.COM")
        let identity = try DIDDocument.parse(Array(text.utf8), did: Self.did)
        #expect(identity.signingKey == Self.key)
        #expect(identity.pdsEndpoint == "https://pds.example.com")
        #expect(identity.handle == "alice.example.com")
        #expect(identity.did == Self.did)
    }

    @Test func signingKeyRules() throws {
        func key(
            id: String, type: String = "Multikey", controller: String = Self.did, multibase: String = Self.key.multikey
        )
            throws -> PublicKey?
        {
            let text = """
                {"id":"\(Self.did)","verificationMethod":[{"id":"\(id)","type":"\(type)","controller":"\(controller)",
                "publicKeyMultibase":"\(multibase)"}]}
                """
            return try DIDDocument.parse(Array(text.utf8), did: Self.did).signingKey
        }
        #expect(try key(id: "#atproto") == Self.key)
        #expect(try key(id: Self.did + "#atproto") == Self.key)
        #expect(try key(id: "#other") == nil)
        #expect(try key(id: "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa#atproto") == nil)
        #expect(try key(id: "#atproto", controller: "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa") == nil)
        #expect(try key(id: "#atproto", type: "JsonWebKey2020") == nil)
        #expect(try key(id: "#atproto", multibase: "zNotAKey") == nil)
        // A legacy type with a multicodec-prefixed value is not a valid legacy key.
        #expect(try key(id: "#atproto", type: "EcdsaSecp256k1VerificationKey2019") == nil)
        let p256 = PrivateKey.generate(curve: .p256).publicKey
        let legacy = "z" + Base58.encode(p256.compressedBytes)
        #expect(try key(id: "#atproto", type: "EcdsaSecp256r1VerificationKey2019", multibase: legacy) == p256)
    }

    @Test func pdsEndpointRules() throws {
        func endpoint(_ value: String, id: String = "#atproto_pds", type: String = "AtprotoPersonalDataServer")
            throws -> String?
        {
            let text = """
                {"id":"\(Self.did)","service":[{"id":"\(id)","type":"\(type)","serviceEndpoint":"\(value)"}]}
                """
            return try DIDDocument.parse(Array(text.utf8), did: Self.did).pdsEndpoint
        }
        #expect(try endpoint("https://pds.example.com") == "https://pds.example.com")
        #expect(try endpoint("https://pds.example.com/") == "https://pds.example.com")
        #expect(try endpoint("https://pds.example.com:8443") == "https://pds.example.com:8443")
        #expect(try endpoint("http://localhost:2583", id: Self.did + "#atproto_pds") == "http://localhost:2583")
        #expect(try endpoint("https://pds.example.com/xrpc") == nil)
        #expect(try endpoint("https://pds.example.com?x=1") == nil)
        #expect(try endpoint("https://user:pw@pds.example.com") == nil)
        #expect(try endpoint("wss://pds.example.com") == nil)
        #expect(try endpoint("pds.example.com") == nil)
        #expect(try endpoint("https://pds.example.com", type: "Other") == nil)
        #expect(try endpoint("https://pds.example.com", id: "#atproto_labeler") == nil)
        let objectEndpoint = """
            {"id":"\(Self.did)","service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer",
            "serviceEndpoint":{"uri":"https://pds.example.com"}}]}
            """
        #expect(try DIDDocument.parse(Array(objectEndpoint.utf8), did: Self.did).pdsEndpoint == nil)
    }

    @Test func handleIsFirstPlausibleAtURI() throws {
        func handle(_ aka: String) throws -> String? {
            let text = "{\"id\":\"\(Self.did)\",\"alsoKnownAs\":\(aka)}"
            return try DIDDocument.parse(Array(text.utf8), did: Self.did).handle
        }
        #expect(try handle(#"["at://bob.example.com"]"#) == "bob.example.com")
        #expect(
            try handle(#"["https://bob.example.com","at://-bad-.com","at://Bob.Example.com"]"#) == "bob.example.com")
        #expect(try handle(#"["at://nodots","at://bob.123"]"#) == nil)
        #expect(try handle(#"["at://did:plc:abc"]"#) == nil)
        #expect(try handle(#"[17, null, {"a":1}]"#) == nil)
        #expect(try handle("[]") == nil)
        #expect(try handle(#""at://bob.example.com""#) == nil)
    }

    @Test func malformedDocuments() {
        #expect(throws: IdentityError.invalidDocument("not JSON")) {
            try DIDDocument.parse(Array("{".utf8), did: Self.did)
        }
        #expect(throws: IdentityError.invalidDocument("not a JSON object")) {
            try DIDDocument.parse(Array("[1]".utf8), did: Self.did)
        }
        #expect(throws: IdentityError.invalidDocument("missing id")) {
            try DIDDocument.parse(Array("{\"alsoKnownAs\":[]}".utf8), did: Self.did)
        }
        #expect(throws: IdentityError.responseTooLarge) {
            try DIDDocument.parse([UInt8](repeating: 0x20, count: DIDDocument.maxBytes + 1), did: Self.did)
        }
        // Deep nesting is refused by the parser instead of overflowing the stack.
        let deep = "{\"id\":\"\(Self.did)\",\"x\":" + String(repeating: "[", count: 100_000) + "}"
        #expect(throws: IdentityError.self) { try DIDDocument.parse(Array(deep.utf8), did: Self.did) }
        // A document without key or PDS parses but is not functional.
        let bare = try? DIDDocument.parse(Array("{\"id\":\"\(Self.did)\"}".utf8), did: Self.did)
        #expect(bare?.isFunctional == false)
    }
}
