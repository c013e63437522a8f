import Testing

@testable import ATIdentity

/// Which addresses count as public, and that names are resolved before being trusted.
@Suite struct AddressPolicyTests {
    @Test func nonPublicAddresses() throws {
        for literal in [
            "127.0.0.1", "127.255.1.2", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "100.127.255.255", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1",
            "::", "::1", "[::1]", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1",
            "::ffff:169.254.169.254", "64:ff9b::a00:1", "2002:a00:1::1", "2001:db8::1",
        ] {
            let address = try #require(AddressPolicy.parseLiteral(literal), "\(literal)")
            #expect(!AddressPolicy.isPublic(address), "\(literal)")
        }
    }

    @Test func publicAddresses() throws {
        for literal in [
            "1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1", "169.253.1.1",
            "2606:4700::1111", "[2a00:1450::1]", "::ffff:8.8.8.8", "64:ff9b::808:808",
        ] {
            let address = try #require(AddressPolicy.parseLiteral(literal), "\(literal)")
            #expect(AddressPolicy.isPublic(address), "\(literal)")
        }
    }

    @Test func literalParsing() {
        #expect(AddressPolicy.parseLiteral("example.com") == nil)
        #expect(AddressPolicy.parseLiteral("127.1") == nil)  // not dotted-quad: treated as a name, resolved, vetted
        #expect(AddressPolicy.parseLiteral("1.2.3.4")?.count == 4)
        #expect(AddressPolicy.parseLiteral("::1")?.count == 16)
        #expect(AddressPolicy.isPublic([1, 2, 3]) == false)
    }

    @Test func namesAreResolvedAndVetted() async throws {
        let strict = HostVetting(allowPrivateHosts: false)
        // Local names, numeric shorthands that resolve to loopback, and private literals are all refused.
        await #expect(throws: IdentityError.forbiddenHost("localhost")) { try await strict.vet("localhost") }
        await #expect(throws: IdentityError.forbiddenHost("127.1")) { try await strict.vet("127.1") }
        await #expect(throws: IdentityError.forbiddenHost("169.254.169.254")) {
            try await strict.vet("169.254.169.254")
        }
        await #expect(throws: IdentityError.forbiddenHost("[::1]")) { try await strict.vet("[::1]") }
        let resolved = try HostVetting.resolve("127.1")
        #expect(resolved.contains([127, 0, 0, 1]))
        try await strict.vet("1.1.1.1")
        try await HostVetting(allowPrivateHosts: true).vet("127.0.0.1")
    }
}
