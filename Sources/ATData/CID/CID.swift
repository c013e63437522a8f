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

    /// The binary CID.
    public let bytes: [UInt8]
    /// Content codec (multicodec code).
    public let codec: UInt64
    /// Multihash function code.
    public let hashCode: UInt64
    /// Offset of the digest within `bytes`.
    let digestOffset: Int

    /// The multihash digest bytes.
    public var digest: ArraySlice<UInt8> { bytes[digestOffset...] }

    /// True for CIDv1 + dag-cbor or raw + sha2-256 with a 32-byte digest.
    public var isBlessed: Bool {
        bytes.count == 36 && hashCode == CID.sha256Code && (codec == Codec.dagCBOR || codec == Codec.raw)
    }

    /// True for a blessed dag-cbor CID (the only form allowed for commit `data` and MST links).
    public var isBlessedDAGCBOR: Bool { isBlessed && codec == Codec.dagCBOR }

    /// Parses a complete binary CID (no trailing bytes).
    public init(bytes: some Collection<UInt8>) throws(CIDError) {
        let array = Array(bytes)
        let result: Result<(codec: UInt64, hashCode: UInt64, digestOffset: Int), CIDError> = array.withUnsafeBytes {
            buffer in
            var offset = 0
            do throws(CIDError) {
                let fields = try CID.parseFields(buffer, offset: &offset)
                guard offset == buffer.count else { return .failure(.trailingBytes) }
                return .success(fields)
            } catch {
                return .failure(error)
            }
        }
        let parsed = try result.get()
        self.bytes = array
        self.codec = parsed.codec
        self.hashCode = parsed.hashCode
        self.digestOffset = parsed.digestOffset
    }

    /// Parses a binary CID at `offset` inside a larger buffer (CAR sections), advancing the offset past it.
    public static func parse(_ buffer: UnsafeRawBufferPointer, offset: inout Int) throws(CIDError) -> CID {
        let start = offset
        let fields = try parseFields(buffer, offset: &offset)
        let bytes = [UInt8](UnsafeRawBufferPointer(rebasing: buffer[start..<offset]))
        return CID(uncheckedBytes: bytes, codec: fields.codec, hashCode: fields.hashCode,
                   digestOffset: fields.digestOffset - start)
    }

    /// True when `buffer` holds exactly one well-formed binary CIDv1 (checks without allocating).
    public static func isValidBinary(_ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        guard (try? parseFields(buffer, offset: &offset)) != nil else { return false }
        return offset == buffer.count
    }

    init(uncheckedBytes: [UInt8], codec: UInt64, hashCode: UInt64, digestOffset: Int) {
        self.bytes = uncheckedBytes
        self.codec = codec
        self.hashCode = hashCode
        self.digestOffset = digestOffset
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

    /// Computes the blessed CID of the bytes in `buffer`: one allocation (the CID's bytes), none for the hash.
    public static func compute(codec: UInt64 = Codec.dagCBOR, ofBuffer buffer: UnsafeRawBufferPointer) -> CID {
        sha256(codec: codec, digest: SHA256Digest(of: buffer))
    }

    /// The blessed CID with a SHA-256 `digest` computed elsewhere (a block hashed in pieces).
    package static func sha256(codec: UInt64 = Codec.dagCBOR, digest: SHA256Digest) -> CID {
        var codecBytes = 1
        var rest = codec >> 7
        while rest != 0 {
            codecBytes += 1
            rest >>= 7
        }
        let digestOffset = 1 + codecBytes + 2
        let bytes = [UInt8](unsafeUninitializedCapacity: digestOffset + 32) { output, count in
            output[0] = 0x01
            var value = codec
            for index in 1...codecBytes {
                output[index] = index < codecBytes ? UInt8(truncatingIfNeeded: value) | 0x80 : UInt8(value)
                value >>= 7
            }
            output[codecBytes + 1] = 0x12
            output[codecBytes + 2] = 0x20
            digest.withUnsafeBytes { source in
                for index in 0..<32 { output[digestOffset + index] = source[index] }
            }
            count = digestOffset + 32
        }
        return CID(uncheckedBytes: bytes, codec: codec, hashCode: sha256Code, digestOffset: digestOffset)
    }

    /// True when `data` hashes to this CID's digest. Only sha2-256 CIDs can be checked; others return false.
    public func matches(_ data: some ContiguousBytes) -> Bool {
        data.withUnsafeBytes { matches(buffer: $0) }
    }

    /// `matches(_:)` for bytes in a buffer (CAR sections).
    public func matches(buffer data: UnsafeRawBufferPointer) -> Bool {
        guard hashCode == CID.sha256Code, bytes.count - digestOffset == 32 else { return false }
        let digest = SHA256Digest(of: data)
        return digest.withUnsafeBytes { computed in
            bytes.withUnsafeBytes { own in
                computed.elementsEqual(UnsafeRawBufferPointer(rebasing: own[digestOffset...]))
            }
        }
    }

    /// The multibase base32 string (`bafy…` for blessed dag-cbor).
    public var string: String { "b" + Base32.encode(bytes) }

    public static func < (lhs: CID, rhs: CID) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    public static func == (lhs: CID, rhs: CID) -> Bool {
        // One memcmp (block maps compare CIDs on every lookup; the generic array comparison goes byte by byte).
        guard lhs.bytes.count == rhs.bytes.count else { return false }
        return lhs.bytes.withUnsafeBytes { left in
            rhs.bytes.withUnsafeBytes { right in
                guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
                return memcmp(leftBase, rightBase, left.count) == 0
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        // One bulk combine instead of one per byte: CIDs key every block map.
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
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
