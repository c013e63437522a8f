import Foundation

/// A content identifier (CIDv1): `varint version | varint codec | varint hash code | varint digest length | digest`.
///
/// atproto's "blessed" form is CIDv1 + dag-cbor (0x71) or raw (0x55) + sha2-256 (0x12) + 32-byte digest.
/// The binary form is kept exactly as received so that links round-trip byte for byte.
public struct CID: Hashable, Sendable, Comparable {
    /// Multicodec codes relevant to atproto.
    public enum Codec {
        /// DAG-CBOR (records, MST nodes, commits).
        public static let dagCBOR: UInt64 = 0x71
        /// Raw bytes (blobs).
        public static let raw: UInt64 = 0x55
    }

    /// Multihash code of SHA-256.
    public static let sha256Code: UInt64 = 0x12
    /// Largest digest accepted when parsing (sha-512 size); anything longer is refused.
    public static let maxDigestLength = 64

    /// How the binary CID is held: the sha-256 form every atproto link uses inline (making, copying, comparing and
    /// hashing such a CID allocates nothing; block maps and MST nodes handle thousands per commit), anything else
    /// as its bytes. A CID has exactly one storage for its bytes, so comparing storages compares the bytes.
    fileprivate enum Storage: Sendable {
        /// `01 <codec> 12 20 <32-byte digest>` with a one-byte codec (below 0x80): 36 bytes.
        case sha256(codec: UInt8, digest: (UInt64, UInt64, UInt64, UInt64))
        /// Any other well-formed CIDv1, as received.
        case general(bytes: [UInt8], codec: UInt64, hashCode: UInt64, digestOffset: Int)

        /// True when `bytes` are exactly `01 <codec below 0x80> 12 20 <32 bytes>` (minimal varints, so no other
        /// encoding of such a CID exists).
        @inline(__always)
        static func isSha256Form(_ bytes: UnsafeRawBufferPointer) -> Bool {
            bytes.count == 36 && bytes[0] == 0x01 && bytes[1] < 0x80 && bytes[2] == 0x12 && bytes[3] == 0x20
        }

        /// The inline form of `bytes` when they are in the sha-256 form.
        @inline(__always)
        static func inline(_ bytes: UnsafeRawBufferPointer) -> Storage? {
            guard isSha256Form(bytes) else { return nil }
            var digest: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            Swift.withUnsafeMutableBytes(of: &digest) { output in
                output.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[4..<36]))
            }
            return .sha256(codec: bytes[1], digest: digest)
        }
    }

    private let storage: Storage

    /// Length of the inline form.
    private static let sha256Length = 36

    /// The binary CID (a new array for the inline form; hot paths use `withUnsafeBytes`).
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Length of the binary CID.
    public var byteCount: Int {
        switch storage {
        case .sha256: CID.sha256Length
        case .general(let bytes, _, _, _): bytes.count
        }
    }

    /// Content codec (multicodec code).
    public var codec: UInt64 {
        switch storage {
        case .sha256(let codec, _): UInt64(codec)
        case .general(_, let codec, _, _): codec
        }
    }

    /// Multihash function code.
    public var hashCode: UInt64 {
        switch storage {
        case .sha256: CID.sha256Code
        case .general(_, _, let hashCode, _): hashCode
        }
    }

    /// Offset of the digest within `bytes`.
    var digestOffset: Int {
        switch storage {
        case .sha256: 4
        case .general(_, _, _, let digestOffset): digestOffset
        }
    }

    /// The multihash digest bytes.
    public var digest: ArraySlice<UInt8> { bytes[digestOffset...] }

    /// True for CIDv1 + dag-cbor or raw + sha2-256 with a 32-byte digest.
    public var isBlessed: Bool {
        guard case .sha256(let codec, _) = storage else { return false }
        return UInt64(codec) == Codec.dagCBOR || UInt64(codec) == Codec.raw
    }

    /// True for a blessed dag-cbor CID (the only form allowed for commit `data` and MST links).
    public var isBlessedDAGCBOR: Bool {
        guard case .sha256(let codec, _) = storage else { return false }
        return UInt64(codec) == Codec.dagCBOR
    }

    /// Calls `body` with the binary CID's bytes (for the inline form, a copy on the stack).
    @inline(__always)
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch storage {
        case .general(let bytes, _, _, _):
            return try bytes.withUnsafeBytes(body)
        case .sha256(let codec, let digest):
            var contiguous: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
            return try Swift.withUnsafeMutableBytes(of: &contiguous) { output in
                output[0] = 0x01
                output[1] = codec
                output[2] = 0x12
                output[3] = 0x20
                Swift.withUnsafeBytes(of: digest) { digestBytes in
                    UnsafeMutableRawBufferPointer(rebasing: output[4..<36]).copyMemory(from: digestBytes)
                }
                return try body(UnsafeRawBufferPointer(rebasing: output[0..<36]))
            }
        }
    }

    /// Parses a complete binary CID (no trailing bytes).
    public init(bytes: some Collection<UInt8>) throws(CIDError) {
        let result =
            bytes.withContiguousStorageIfAvailable { CID.parseWhole(UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes { CID.parseWhole($0) }
        self = try result.get()
    }

    private static func parseWhole(_ buffer: UnsafeRawBufferPointer) -> Result<CID, CIDError> {
        var offset = 0
        do throws(CIDError) {
            let cid = try CID.parse(buffer, offset: &offset)
            guard offset == buffer.count else { return .failure(.trailingBytes) }
            return .success(cid)
        } catch {
            return .failure(error)
        }
    }

    /// Parses a binary CID at `offset` inside a larger buffer (CAR sections), advancing the offset past it.
    public static func parse(_ buffer: UnsafeRawBufferPointer, offset: inout Int) throws(CIDError) -> CID {
        let start = offset
        if start >= 0, buffer.count - start >= sha256Length,
            let inline = Storage.inline(UnsafeRawBufferPointer(rebasing: buffer[start..<(start + sha256Length)]))
        {
            // The sha-256 form is exactly these 36 bytes: nothing to decode.
            offset = start + sha256Length
            return CID(storage: inline)
        }
        // Not the sha-256 form at `start`, so not once parsed either: the general form.
        let fields = try parseFields(buffer, offset: &offset)
        let cidBytes = UnsafeRawBufferPointer(rebasing: buffer[start..<offset])
        return CID(storage: .general(bytes: [UInt8](cidBytes), codec: fields.codec, hashCode: fields.hashCode,
                                     digestOffset: fields.digestOffset - start))
    }

    /// True when `buffer` holds exactly one well-formed binary CIDv1 (checks without allocating).
    public static func isValidBinary(_ buffer: UnsafeRawBufferPointer) -> Bool {
        // The sha-256 form (every MST and record link) needs no varint decoding.
        if Storage.isSha256Form(buffer) { return true }
        var offset = 0
        guard (try? parseFields(buffer, offset: &offset)) != nil else { return false }
        return offset == buffer.count
    }

    private static func parseFields(_ buffer: UnsafeRawBufferPointer, offset: inout Int) throws(CIDError)
        -> (codec: UInt64, hashCode: UInt64, digestOffset: Int)
    {
        guard offset < buffer.count else { throw .truncated }
        // CIDv0 is a bare sha2-256 multihash (0x12 0x20 …); atproto forbids it.
        if buffer[offset] == 0x12 { throw .unsupportedVersion }
        do {
            let version = try Varint.decode(buffer, offset: &offset)
            guard version == 1 else { throw CIDError.unsupportedVersion }
            let codec = try Varint.decode(buffer, offset: &offset)
            let hashCode = try Varint.decode(buffer, offset: &offset)
            let digestLength = try Varint.decode(buffer, offset: &offset)
            guard digestLength <= UInt64(maxDigestLength) else { throw CIDError.digestTooLong }
            guard buffer.count - offset >= Int(digestLength) else { throw CIDError.truncated }
            let digestOffset = offset
            offset += Int(digestLength)
            return (codec, hashCode, digestOffset)
        } catch let error as Varint.DecodeError {
            throw error == .truncated ? .truncated : .badVarint
        } catch let error as CIDError {
            throw error
        } catch {
            throw .badVarint
        }
    }

    private init(storage: Storage) {
        self.storage = storage
    }

    /// Parses the string form: multibase `b` (lowercase base32) CIDv1. CIDv0 and other bases are refused.
    public init(string: some StringProtocol) throws(CIDError) {
        guard string.utf8.count <= 256 else { throw .badString }
        guard string.utf8.first == UInt8(ascii: "b"), let decoded = Base32.decode(string.dropFirst()) else {
            throw .badString
        }
        try self.init(bytes: decoded)
    }

    /// Computes the blessed CID (sha2-256) of `data` under `codec`.
    public static func compute(codec: UInt64 = Codec.dagCBOR, of data: some ContiguousBytes) -> CID {
        data.withUnsafeBytes { compute(codec: codec, ofBuffer: $0) }
    }

    /// `compute(codec:of:)` for an array (the common case, without the generic call across modules).
    public static func compute(codec: UInt64 = Codec.dagCBOR, of data: [UInt8]) -> CID {
        data.withUnsafeBytes { compute(codec: codec, ofBuffer: $0) }
    }

    /// Computes the blessed CID of the bytes in `buffer` (no allocation for a one-byte codec such as dag-cbor or raw).
    public static func compute(codec: UInt64 = Codec.dagCBOR, ofBuffer buffer: UnsafeRawBufferPointer) -> CID {
        sha256(codec: codec, digest: SHA256Digest(of: buffer))
    }

    /// The blessed CID with a SHA-256 `digest` computed elsewhere (a block hashed in pieces).
    package static func sha256(codec: UInt64 = Codec.dagCBOR, digest: SHA256Digest) -> CID {
        if codec < 0x80 { return CID(storage: .sha256(codec: UInt8(codec), digest: digest.words)) }
        var bytes: [UInt8] = [0x01]
        Varint.encode(codec, into: &bytes)
        bytes.append(0x12)
        bytes.append(0x20)
        let digestOffset = bytes.count
        digest.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return CID(storage: .general(bytes: bytes, codec: codec, hashCode: sha256Code, digestOffset: digestOffset))
    }

    /// True when `data` hashes to this CID's digest. Only sha2-256 CIDs can be checked; others return false.
    public func matches(_ data: some ContiguousBytes) -> Bool {
        data.withUnsafeBytes { matches(buffer: $0) }
    }

    /// `matches(_:)` for bytes in a buffer (CAR sections).
    public func matches(buffer data: UnsafeRawBufferPointer) -> Bool {
        switch storage {
        case .sha256(_, let digest):
            return SHA256Digest(of: data).words == digest
        case .general(let bytes, _, let hashCode, let digestOffset):
            guard hashCode == CID.sha256Code, bytes.count - digestOffset == 32 else { return false }
            let digest = SHA256Digest(of: data)
            return digest.withUnsafeBytes { computed in
                bytes.withUnsafeBytes { own in
                    computed.elementsEqual(UnsafeRawBufferPointer(rebasing: own[digestOffset...]))
                }
            }
        }
    }

    /// The multibase base32 string (`bafy…` for blessed dag-cbor).
    public var string: String { "b" + Base32.encode(bytes) }

    public static func < (lhs: CID, rhs: CID) -> Bool {
        lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in left.lexicographicallyPrecedes(right) } }
    }

    public static func == (lhs: CID, rhs: CID) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.sha256(let leftCodec, let left), .sha256(let rightCodec, let right)):
            return leftCodec == rightCodec && left == right
        case (.general(let left, _, _, _), .general(let right, _, _, _)):
            // One memcmp (the generic array comparison goes byte by byte).
            guard left.count == right.count else { return false }
            return left.withUnsafeBytes { leftBytes in
                right.withUnsafeBytes { rightBytes in
                    guard let leftBase = leftBytes.baseAddress, let rightBase = rightBytes.baseAddress else { return true }
                    return memcmp(leftBase, rightBase, leftBytes.count) == 0
                }
            }
        default:
            return false  // one storage per byte sequence: different forms are different bytes
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .sha256(let codec, let digest):
            // Every word: link CIDs in untrusted blocks need not be real digests, so a partial hash would let a
            // peer fill a block map with colliding keys.
            hasher.combine(digest.0)
            hasher.combine(digest.1)
            hasher.combine(digest.2)
            hasher.combine(digest.3)
            hasher.combine(codec)
        case .general(let bytes, _, _, _):
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }
}

extension CID: CustomStringConvertible {
    public var description: String { string }
}

/// Why a CID could not be parsed.
public enum CIDError: Error, Equatable, Sendable {
    case truncated
    case badVarint
    case unsupportedVersion
    case digestTooLong
    case trailingBytes
    case badString
}
