import ATCrypto
import ATIdentity
import Testing

/// The network resolver against a real HTTP server on 127.0.0.1.
@Suite struct ResolverTests {
    static let key = PrivateKey.generate(curve: .p256).publicKey

    @Test func resolvesPLCDocument() async throws {
        let did = TestSupport.plcDID(1)
        let server = try await TestHTTPServer.start(routes: [
            "/" + did: .json(TestSupport.document(did: did, key: Self.key))
        ])
        let resolver = IdentityResolver(configuration: TestSupport.configuration(server: server))
        let identity = try await resolver.resolve(did)
        #expect(identity.did == did)
        #expect(identity.signingKey == Self.key)
        #expect(identity.pdsEndpoint == "https://pds.example.com")
        #expect(identity.handle == "alice.example.com")
        #expect(server.requests(to: "/" + did) == 1)
        try await resolver.shutdown()
        try await server.shutdown()
    }

    @Test func statusCodesMapToErrors() async throws {
        let gone = TestSupport.plcDID(2)
        let broken = TestSupport.plcDID(3)
        let redirect = TestSupport.plcDID(4)
        let mismatch = TestSupport.plcDID(5)
        let server = try await TestHTTPServer.start(routes: [
            "/" + gone: .status(410),
            "/" + broken: .status(500),
            "/" + redirect: .respond(status: 302, body: [], headers: [("Location", "http://169.254.169.254/")]),
            "/" + mismatch: .json(TestSupport.document(did: TestSupport.plcDID(6), key: Self.key)),
        ])
        let resolver = IdentityResolver(configuration: TestSupport.configuration(server: server))
        await #expect(throws: IdentityError.notFound) { try await resolver.resolve(TestSupport.plcDID(7)) }
        await #expect(throws: IdentityError.tombstoned) { try await resolver.resolve(gone) }
        await #expect(throws: IdentityError.httpStatus(500)) { try await resolver.resolve(broken) }
        // Redirects are not followed (the target was never vetted).
        await #expect(throws: IdentityError.httpStatus(302)) { try await resolver.resolve(redirect) }
        await #expect(throws: IdentityError.documentIDMismatch(expected: mismatch, found: TestSupport.plcDID(6))) {
            try await resolver.resolve(mismatch)
        }
        await #expect(throws: IdentityError.invalidDID("did:plc:short")) { try await resolver.resolve("did:plc:short") }
        #expect(server.totalRequests == 5)
        try await resolver.shutdown()
        try await server.shutdown()
    }

    @Test func greengroundDocumentServedForTheCommitDIDIsRejected() async throws {
        let commitDID = "did:plc:kzcqyc3unb33eh5sxzsfs25z"
        let document = try TestSupport.realdata("repos/greenground.didDoc.json")
        let server = try await TestHTTPServer.start(routes: ["/" + commitDID: .respond(status: 200, body: document)])
        let resolver = IdentityResolver(configuration: TestSupport.configuration(server: server))
        await #expect(
            throws: IdentityError.documentIDMismatch(expected: commitDID, found: "did:plc:wqgdnqlv2mwiio6pfchwtrff")
        ) {
            try await resolver.resolve(commitDID)
        }
        try await resolver.shutdown()
        try await server.shutdown()
    }

    @Test func slowResponsesTimeOut() async throws {
        let slow = TestSupport.plcDID(10)
        let stalled = TestSupport.plcDID(11)
        let server = try await TestHTTPServer.start(routes: [
            "/" + slow: .delayed(.seconds(30), status: 200, body: Array("{}".utf8)),
            "/" + stalled: .stallBody(declaredLength: 1000),
        ])
        let resolver = IdentityResolver(
            configuration: TestSupport.configuration(server: server, timeout: .milliseconds(300)))
        let start = ContinuousClock.now
        await #expect(throws: IdentityError.timeout) { try await resolver.resolve(slow) }
        // Headers arrive at once, the body never completes: the whole-request deadline still applies.
        await #expect(throws: IdentityError.timeout) { try await resolver.resolve(stalled) }
        // Far below the 30 s the slow route takes, with room for a loaded CI machine.
        #expect(start.duration(to: .now) < .seconds(20))
        try await resolver.shutdown()
        try await server.shutdown()
    }

    @Test func oversizedResponsesAreCut() async throws {
        let declared = TestSupport.plcDID(12)
        let chunked = TestSupport.plcDID(13)
        let server = try await TestHTTPServer.start(routes: [
            "/" + declared: .respond(status: 200, body: [UInt8](repeating: 0x20, count: 300 * 1024)),
            "/" + chunked: .chunked(size: 1024 * 1024),
        ])
        let resolver = IdentityResolver(configuration: TestSupport.configuration(server: server, maxBytes: 256 * 1024))
        await #expect(throws: IdentityError.responseTooLarge) { try await resolver.resolve(declared) }
        await #expect(throws: IdentityError.responseTooLarge) { try await resolver.resolve(chunked) }
        try await resolver.shutdown()
        try await server.shutdown()
    }

    @Test func privateAddressesAreRefusedUnlessAllowed() async throws {
        let did = TestSupport.plcDID(14)
        let server = try await TestHTTPServer.start(routes: [
            "/" + did: .json(TestSupport.document(did: did, key: Self.key))
        ])
        for base in [
            "https://127.0.0.1:\(server.port)", "https://[::1]:\(server.port)", "https://169.254.169.254",
            "https://10.0.0.1", "https://localhost:\(server.port)", "https://127.1:\(server.port)",
        ] {
            let resolver = IdentityResolver(
                configuration: ResolverConfiguration(plcURL: base, requestTimeout: .seconds(2)))
            await #expect(throws: IdentityError.self) { try await resolver.resolve(did) }
            do {
                _ = try await resolver.resolve(did)
            } catch {
                if case .forbiddenHost = error {} else { Issue.record("\(base): expected forbiddenHost, got \(error)") }
            }
            try await resolver.shutdown()
        }
        // Percent-escaped hosts are refused rather than interpreted.
        let escaped = IdentityResolver(
            configuration: ResolverConfiguration(plcURL: "https://%31%32%37.0.0.1:\(server.port)"))
        await #expect(throws: IdentityError.self) { try await escaped.resolve(did) }
        try await escaped.shutdown()
        // Plain http is refused too, before any connection.
        let plain = IdentityResolver(configuration: ResolverConfiguration(plcURL: server.baseURL))
        await #expect(throws: IdentityError.forbiddenHost(server.baseURL + "/" + did)) { try await plain.resolve(did) }
        try await plain.shutdown()
        #expect(server.totalRequests == 0)

        // The same lookup succeeds once private hosts are allowed.
        let allowed = IdentityResolver(configuration: TestSupport.configuration(server: server))
        #expect(try await allowed.resolve(did).did == did)
        #expect(server.totalRequests == 1)
        try await allowed.shutdown()
        try await server.shutdown()
    }

    @Test func didWebOnLocalhostWithPort() async throws {
        let server = try await TestHTTPServer.start()
        let did = "did:web:localhost%3A\(server.port)"
        server.setRoute("/.well-known/did.json", .json(TestSupport.document(did: did, key: Self.key)))
        let resolver = IdentityResolver(configuration: TestSupport.configuration(server: server))
        let identity = try await resolver.resolve(did)
        #expect(identity.did == did)
        #expect(identity.signingKey == Self.key)
        #expect(server.requests(to: "/.well-known/did.json") == 1)
        try await resolver.shutdown()
        // Without the development flag the port form is not a supported did:web.
        let strict = IdentityResolver()
        await #expect(throws: IdentityError.unsupportedMethod(did)) { try await strict.resolve(did) }
        try await strict.shutdown()
        try await server.shutdown()
    }

    @Test func handleResolutionAndBidirectionalCheck() async throws {
        let did = TestSupport.plcDID(15)
        let server = try await TestHTTPServer.start(routes: [
            "/.well-known/atproto-did": .respond(status: 200, body: Array("\(did)\n".utf8))
        ])
        let resolver = IdentityResolver(configuration: TestSupport.configuration(server: server))
        #expect(try await resolver.resolveHandle("Alice.Example.com") == did)
        #expect(await resolver.verify(handle: "alice.example.com", did: did))
        #expect(!(await resolver.verify(handle: "alice.example.com", did: TestSupport.plcDID(16))))
        let identity = Identity(did: did, handle: "alice.example.com", signingKey: nil, pdsEndpoint: nil)
        #expect(await resolver.verifiedHandle(of: identity) == "alice.example.com")
        let other = Identity(
            did: TestSupport.plcDID(16), handle: "alice.example.com", signingKey: nil, pdsEndpoint: nil)
        #expect(await resolver.verifiedHandle(of: other) == nil)

        server.setRoute("/.well-known/atproto-did", .respond(status: 200, body: Array("<html>not a did</html>".utf8)))
        await #expect(throws: IdentityError.invalidHandleResponse) {
            try await resolver.resolveHandle("alice.example.com")
        }
        server.setRoute("/.well-known/atproto-did", .status(404))
        await #expect(throws: IdentityError.notFound) { try await resolver.resolveHandle("alice.example.com") }
        await #expect(throws: IdentityError.invalidHandle("alice.onion")) {
            try await resolver.resolveHandle("alice.onion")
        }
        await #expect(throws: IdentityError.invalidHandle("not a handle")) {
            try await resolver.resolveHandle("not a handle")
        }
        #expect(server.requests(to: "/.well-known/atproto-did") == 7)
        try await resolver.shutdown()

        // A public-only resolver refuses a handle mapped to loopback.
        let strict = IdentityResolver(
            configuration: ResolverConfiguration(handleBaseURL: { _ in "https://127.0.0.1:\(server.port)" }))
        await #expect(throws: IdentityError.forbiddenHost("127.0.0.1")) {
            try await strict.resolveHandle("alice.example.com")
        }
        try await strict.shutdown()
        try await server.shutdown()
    }

    @Test func concurrentRequestsAreCapped() async throws {
        let server = try await TestHTTPServer.start()
        let dids = (100..<108).map(TestSupport.plcDID)
        for did in dids {
            server.setRoute(
                "/" + did,
                .delayed(
                    .milliseconds(150), status: 200, body: Array(TestSupport.document(did: did, key: Self.key).utf8)))
        }
        let resolver = IdentityResolver(configuration: TestSupport.configuration(server: server, concurrency: 2))
        let resolved = try await withThrowingTaskGroup(of: String.self) { group in
            for did in dids { group.addTask { try await resolver.resolve(did).did } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(resolved == Set(dids))
        #expect(server.totalRequests == 8)
        #expect(server.maxConcurrentRequests <= 2)
        #expect(server.maxConcurrentRequests >= 1)
        try await resolver.shutdown()
        try await server.shutdown()
    }
}
