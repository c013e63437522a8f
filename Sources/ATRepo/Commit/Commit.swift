import ATData

/// A signed repository commit: `{did, rev, sig, data, prev, version}` (plus any unknown fields, kept as they are).
public struct Commit: Sendable, Hashable {
    /// The account DID.
    public let did: String
    /// Repository format version (3 on the firehose; 2 appears in old exports).
    public let version: Int64
    /// Root CID of the MST.
    public let data: CID
    /// The commit's rev (a TID); empty for version-2 commits, which predate revs.
    public let rev: String
    /// Previous commit CID; present but virtually always null in version 3.
    public let prev: CID?
    /// The 64-byte compact ECDSA signature.
    public let signature: [UInt8]
    /// The exact bytes that were signed: the commit map without `sig`, canonically encoded.
    public let unsignedBytes: [UInt8]

    /// Decodes and checks the structure of a commit block; the signature is not verified here.
    public init(block: some Collection<UInt8>, allowedVersions: ClosedRange<Int64> = 3...3) throws(CommitError) {
        let bytes = Array(block)
        do {
            try self.init(decoding: bytes, allowedVersions: allowedVersions)
        } catch let error as CommitError {
            throw error
        } catch {
            throw .malformed("\(error)")
        }
    }

    private init(decoding bytes: [UInt8], allowedVersions: ClosedRange<Int64>) throws {
        var reader = try DAGCBORReader(bytes, limits: DAGCBORLimits(maxInputBytes: 100_000, maxDepth: 16))
        let count = try reader.readMapHeader()
        var previous: Range<Int>? = nil
        var did: String?
        var version: Int64?
        var data: CID?
        var rev: String?
        var prevField: CID??
        var signature: [UInt8]?
        // The unsigned form keeps every entry but `sig`, in the same canonical order.
        var unsignedEntries: [Range<Int>] = []
        unsignedEntries.reserveCapacity(min(count, 8))  // a commit has 6 entries; `count` is untrusted
        for _ in 0..<count {
            let entryStart = reader.position
            let key = try reader.readMapKey(after: previous)
            previous = key
            if reader.key(key, is: "did") {
                did = try reader.readString()
            } else if reader.key(key, is: "rev") {
                rev = try reader.readString()
            } else if reader.key(key, is: "sig") {
                signature = Array(try reader.readBytes())
                continue
            } else if reader.key(key, is: "data") {
                data = try reader.readLink()
            } else if reader.key(key, is: "prev") {
                prevField = .some(try reader.readOptionalLink())
            } else if reader.key(key, is: "version") {
                version = try reader.readInteger()
            } else {
                try reader.skipValue()
            }
            unsignedEntries.append(entryStart..<reader.position)
        }
        try reader.expectEnd()
        guard let did else { throw CommitError.missingField("did") }
        guard let version else { throw CommitError.missingField("version") }
        guard allowedVersions.contains(version) else { throw CommitError.unsupportedVersion(version) }
        guard let data else { throw CommitError.missingField("data") }
        guard let rev = rev ?? (version == 2 ? "" : nil) else { throw CommitError.missingField("rev") }
        guard let prevField else { throw CommitError.missingField("prev") }
        guard let signature else { throw CommitError.missingField("sig") }
        guard signature.count == 64 else { throw CommitError.badSignatureLength(signature.count) }
        guard DID.isValid(did) else { throw CommitError.invalidDID }
        if version >= 3 { guard TID.isValid(rev) else { throw CommitError.invalidRev } }
        guard data.isBlessedDAGCBOR else { throw CommitError.malformed("data is not a dag-cbor sha-256 CID") }
        var writer = DAGCBORWriter(capacity: bytes.count)
        writer.writeMapHeader(count: unsignedEntries.count)
        for range in unsignedEntries { writer.writeEncoded(bytes[range]) }
        self.did = did
        self.version = version
        self.data = data
        self.rev = rev
        self.prev = prevField
        self.signature = signature
        self.unsignedBytes = writer.bytes
    }

    /// Builds a commit from its fields and a signature over `Commit.unsignedBytes(…)`.
    public init(did: String, version: Int64 = 3, data: CID, rev: String, prev: CID? = nil, signature: [UInt8]) {
        self.did = did
        self.version = version
        self.data = data
        self.rev = rev
        self.prev = prev
        self.signature = signature
        self.unsignedBytes = Commit.unsignedBytes(did: did, version: version, data: data, rev: rev, prev: prev)
    }

    /// The bytes to sign for these fields: `{did, rev, data, prev, version}` in canonical order.
    public static func unsignedBytes(did: String, version: Int64 = 3, data: CID, rev: String, prev: CID?) -> [UInt8] {
        var writer = DAGCBORWriter(capacity: 160)
        writer.writeMapHeader(count: 5)
        writer.writeString("did")
        writer.writeString(did)
        writer.writeString("rev")
        writer.writeString(rev)
        writer.writeString("data")
        writer.writeLink(data)
        writer.writeString("prev")
        writer.writeOptionalLink(prev)
        writer.writeString("version")
        writer.writeInteger(version)
        return writer.bytes
    }

    /// The signed block: the unsigned map plus `sig` (for commits built from their fields, as the writer does).
    public var signedBytes: [UInt8] {
        var writer = DAGCBORWriter(capacity: 240)
        writer.writeMapHeader(count: 6)
        writer.writeString("did")
        writer.writeString(did)
        writer.writeString("rev")
        writer.writeString(rev)
        writer.writeString("sig")
        writer.writeBytes(signature)
        writer.writeString("data")
        writer.writeLink(data)
        writer.writeString("prev")
        writer.writeOptionalLink(prev)
        writer.writeString("version")
        writer.writeInteger(version)
        return writer.bytes
    }
}

/// Why a commit block was rejected.
public enum CommitError: Error, Equatable, Sendable {
    /// Not canonical DAG-CBOR or a field of the wrong type.
    case malformed(String)
    /// A required field is absent.
    case missingField(String)
    /// `version` outside the accepted range.
    case unsupportedVersion(Int64)
    /// `sig` is not 64 bytes.
    case badSignatureLength(Int)
    /// `did` is not a syntactically valid DID.
    case invalidDID
    /// `rev` is not a TID.
    case invalidRev
}
