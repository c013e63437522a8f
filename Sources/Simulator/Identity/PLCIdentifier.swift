import ATData

/// `did:plc:` identifiers: 24 characters of lowercase base32 (`a-z2-7`), as the PLC directory issues them.
public enum PLCIdentifier {
    /// A DID from 15 random bytes (120 bits = exactly 24 base32 characters).
    public static func make(using generator: inout some RandomNumberGenerator) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(15)
        for _ in 0..<15 { bytes.append(UInt8.random(in: 0...255, using: &generator)) }
        return "did:plc:" + Base32.encode(bytes)
    }

    /// True for a syntactically valid `did:plc:` DID.
    public static func isValid(_ did: String) -> Bool {
        guard did.hasPrefix("did:plc:") else { return false }
        let suffix = did.utf8.dropFirst(8)
        return suffix.count == 24 && suffix.allSatisfy { (0x61...0x7a).contains($0) || (0x32...0x37).contains($0) }
    }
}
