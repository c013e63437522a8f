import ATCrypto
import ATIdentity
import Firehose
import Simulator
import Testing

@Suite("PLC directory")
struct PLCDirectoryTests {
    @Test("documents parse with ATIdentity: key, PDS endpoint, handle; unknown DIDs are 404, tombstones 410")
    func documentsResolve() async throws {
        try await withNetwork { network in
            let k256 = try await network.createAccount(curve: .k256, handle: "alice.sim.test")
            let p256 = try await network.createAccount(on: network.hosts[1], curve: .p256)
            #expect(PLCIdentifier.isValid(k256.did) && PLCIdentifier.isValid(p256.did))
            try await withResolver(network) { resolver in
                let alice = try await resolver.resolve(k256.did)
                #expect(alice.signingKey == k256.signingKey)
                #expect(alice.signingKey?.curve == .k256)
                #expect(alice.pdsEndpoint == network.hosts[0].url)
                #expect(alice.handle == "alice.sim.test")
                #expect(await resolver.verify(handle: "alice.sim.test", did: k256.did))
                let bob = try await resolver.resolve(p256.did)
                #expect(bob.signingKey == p256.signingKey)
                #expect(bob.signingKey?.curve == .p256)
                #expect(bob.pdsEndpoint == network.hosts[1].url)
                await #expect(throws: IdentityError.notFound) {
                    _ = try await resolver.resolve("did:plc:aaaaaaaaaaaaaaaaaaaaaaaa")
                }
                _ = try await network.deleteAccount(p256.did)
                await #expect(throws: IdentityError.tombstoned) { _ = try await resolver.resolve(p256.did) }
            }
        }
    }

    @Test("key rotation and handle change update the document and emit #identity")
    func updates() async throws {
        try await withNetwork { network in
            let account = try await network.createAccount(curve: .k256)
            let identity = try await network.rotateKey(account.did, curve: .p256)
            let handleEvent = try await network.changeHandle(account.did, to: "renamed.sim.test")
            guard case .identity(let message) = handleEvent.frame else { throw TestFailure("not #identity") }
            #expect(message.handle == "renamed.sim.test")
            #expect(identity?.seq == 4)
            #expect(handleEvent.seq == 5)
            let rotated = try #require(await network.account(account.did))
            #expect(rotated.signingKey != account.signingKey)
            try await withResolver(network) { resolver in
                let resolved = try await resolver.resolve(account.did)
                #expect(resolved.signingKey == rotated.signingKey)
                #expect(resolved.signingKey?.curve == .p256)
                #expect(resolved.handle == "renamed.sim.test")
            }
        }
    }

    @Test("seeded networks repeat DIDs, keys and handles")
    func seeded() async throws {
        let configuration = NetworkConfiguration(hostCount: 1, seed: 42)
        let first = try await withNetwork(configuration) { network in
            try await network.populate(accounts: 4)
        }
        let second = try await withNetwork(configuration) { network in
            try await network.populate(accounts: 4)
        }
        #expect(first.count == 4)
        #expect(first.map(\.did) == second.map(\.did))
        #expect(first.map(\.signingKey) == second.map(\.signingKey))
        #expect(first.map(\.handle) == second.map(\.handle))
        #expect(Set(first.map(\.signingKey.curve)).count == 2)
    }
}
