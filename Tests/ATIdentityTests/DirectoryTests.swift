import ATCrypto
import ATIdentity
import Testing

/// The caching, coalescing directory over the real resolver and a real loopback server.
@Suite struct DirectoryTests {
    static let key = PrivateKey.generate(curve: .k256).publicKey

    /// A server, a resolver and a directory with a manual clock.
    struct Setup {
        let server: TestHTTPServer
        let resolver: IdentityResolver
        let clock = ManualClock()
        let directory: IdentityDirectory

        init(routes: [String: TestHTTPServer.Route], configuration: DirectoryConfiguration = DirectoryConfiguration())
            async throws
        {
            server = try await TestHTTPServer.start(routes: routes)
            resolver = IdentityResolver(configuration: TestSupport.configuration(server: server))
            directory = IdentityDirectory(resolver: resolver, configuration: configuration, clock: clock.identityClock)
        }

        func shutdown() async throws {
            try await resolver.shutdown()
            try await server.shutdown()
        }
    }

    static func document(_ did: String, key: PublicKey = key) -> [UInt8] {
        Array(TestSupport.document(did: did, key: key).utf8)
    }

    @Test func thousandConcurrentLookupsMakeOneRequest() async throws {
        let did = TestSupport.plcDID(200)
        // The answer is delayed so that all lookups overlap the one request in flight.
        let setup = try await Setup(routes: [
            "/" + did: .delayed(.milliseconds(300), status: 200, body: Self.document(did))
        ])
        let directory = setup.directory
        let results = try await withThrowingTaskGroup(of: Identity.self) { group in
            for _ in 0..<1_000 { group.addTask { try await directory.lookup(did) } }
            return try await group.reduce(into: [Identity]()) { $0.append($1) }
        }
        #expect(results.count == 1_000)
        #expect(results.allSatisfy { $0.did == did && $0.signingKey == Self.key })
        #expect(setup.server.requests(to: "/" + did) == 1)
        #expect(setup.server.totalRequests == 1)
        try await setup.shutdown()
    }

    @Test func concurrentFailuresAreCoalescedToo() async throws {
        let did = TestSupport.plcDID(201)
        let setup = try await Setup(routes: ["/" + did: .delayed(.milliseconds(200), status: 410, body: [])])
        let directory = setup.directory
        let failures = await withTaskGroup(of: IdentityError?.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    do throws(IdentityError) {
                        _ = try await directory.lookup(did)
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            return await group.reduce(into: [IdentityError?]()) { $0.append($1) }
        }
        #expect(failures.count == 200)
        #expect(failures.allSatisfy { $0 == .tombstoned })
        #expect(setup.server.totalRequests == 1)
        try await setup.shutdown()
    }

    @Test func hitsExpireAfterTheirTTL() async throws {
        let did = TestSupport.plcDID(202)
        let setup = try await Setup(routes: ["/" + did: .respond(status: 200, body: Self.document(did))])
        _ = try await setup.directory.lookup(did)
        setup.clock.advance(by: .seconds(23 * 3600))
        _ = try await setup.directory.lookup(did)
        #expect(setup.server.requests(to: "/" + did) == 1)
        setup.clock.advance(by: .seconds(3600 + 1))
        _ = try await setup.directory.lookup(did)
        #expect(setup.server.requests(to: "/" + did) == 2)
        try await setup.shutdown()
    }

    @Test func failuresAreCachedForTheShorterTTL() async throws {
        let missing = TestSupport.plcDID(203)
        let gone = TestSupport.plcDID(204)
        let setup = try await Setup(routes: ["/" + gone: .status(410)])
        for _ in 0..<3 {
            await #expect(throws: IdentityError.notFound) { try await setup.directory.lookup(missing) }
            await #expect(throws: IdentityError.tombstoned) { try await setup.directory.lookup(gone) }
        }
        #expect(setup.server.requests(to: "/" + missing) == 1)
        #expect(setup.server.requests(to: "/" + gone) == 1)
        setup.clock.advance(by: .seconds(299))
        await #expect(throws: IdentityError.notFound) { try await setup.directory.lookup(missing) }
        #expect(setup.server.requests(to: "/" + missing) == 1)
        setup.clock.advance(by: .seconds(2))
        // The account now exists: the expired negative entry gives way to the real document.
        setup.server.setRoute("/" + missing, .respond(status: 200, body: Self.document(missing)))
        #expect(try await setup.directory.lookup(missing).did == missing)
        #expect(setup.server.requests(to: "/" + missing) == 2)
        // Malformed DIDs never reach the network nor the cache.
        await #expect(throws: IdentityError.invalidDID("did:plc:nope")) {
            try await setup.directory.lookup("did:plc:nope")
        }
        #expect(await setup.directory.cachedCount == 2)
        try await setup.shutdown()
    }

    @Test func purgeForcesANewRequest() async throws {
        let did = TestSupport.plcDID(205)
        let setup = try await Setup(routes: ["/" + did: .respond(status: 200, body: Self.document(did))])
        #expect(try await setup.directory.lookup(did).signingKey == Self.key)
        // The key rotates upstream; the cache still answers with the old one until purged.
        let rotated = PrivateKey.generate(curve: .p256).publicKey
        setup.server.setRoute("/" + did, .respond(status: 200, body: Self.document(did, key: rotated)))
        #expect(try await setup.directory.lookup(did).signingKey == Self.key)
        #expect(setup.server.requests(to: "/" + did) == 1)
        await setup.directory.purge(did)
        #expect(try await setup.directory.lookup(did).signingKey == rotated)
        #expect(setup.server.requests(to: "/" + did) == 2)
        try await setup.shutdown()
    }

    @Test func purgeDetachesALookupInFlight() async throws {
        let did = TestSupport.plcDID(206)
        let setup = try await Setup(routes: [
            "/" + did: .delayed(.milliseconds(300), status: 200, body: Self.document(did))
        ])
        let directory = setup.directory
        let first = Task { try await directory.lookup(did) }
        // Wait until the first request reached the server, then purge while it is still in flight.
        while setup.server.requests(to: "/" + did) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        await directory.purge(did)
        _ = try await directory.lookup(did)
        _ = try await first.value
        #expect(setup.server.requests(to: "/" + did) == 2)
        try await setup.shutdown()
    }

    @Test func refreshReResolvesButNotTooOften() async throws {
        let did = TestSupport.plcDID(207)
        let setup = try await Setup(
            routes: ["/" + did: .respond(status: 200, body: Self.document(did))],
            configuration: DirectoryConfiguration(minimumRefreshInterval: .seconds(10)))
        _ = try await setup.directory.lookup(did)
        let rotated = PrivateKey.generate(curve: .k256).publicKey
        setup.server.setRoute("/" + did, .respond(status: 200, body: Self.document(did, key: rotated)))
        // Just fetched: a refresh storm (e.g. many bad commits) does not hammer the directory.
        #expect(try await setup.directory.refresh(did).signingKey == Self.key)
        #expect(setup.server.requests(to: "/" + did) == 1)
        setup.clock.advance(by: .seconds(11))
        #expect(try await setup.directory.refresh(did).signingKey == rotated)
        #expect(setup.server.requests(to: "/" + did) == 2)
        // The refreshed answer is cached for later lookups.
        #expect(try await setup.directory.lookup(did).signingKey == rotated)
        #expect(setup.server.requests(to: "/" + did) == 2)
        // Refresh of an unknown DID resolves it.
        let other = TestSupport.plcDID(208)
        setup.server.setRoute("/" + other, .respond(status: 200, body: Self.document(other)))
        #expect(try await setup.directory.refresh(other).did == other)
        try await setup.shutdown()
    }

    @Test func entryCountIsBounded() async throws {
        let dids = (300..<310).map(TestSupport.plcDID)
        var routes: [String: TestHTTPServer.Route] = [:]
        for did in dids { routes["/" + did] = .respond(status: 200, body: Self.document(did)) }
        let setup = try await Setup(routes: routes, configuration: DirectoryConfiguration(maxEntries: 4))
        for did in dids { _ = try await setup.directory.lookup(did) }
        #expect(await setup.directory.cachedCount == 4)
        // The most recent four are cached; the first was evicted and costs a new request.
        _ = try await setup.directory.lookup(dids[9])
        #expect(setup.server.requests(to: "/" + dids[9]) == 1)
        _ = try await setup.directory.lookup(dids[0])
        #expect(setup.server.requests(to: "/" + dids[0]) == 2)
        try await setup.shutdown()
    }
}
