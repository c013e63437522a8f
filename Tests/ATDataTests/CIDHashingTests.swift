import ATData
import Crypto
import Testing

/// CIDs computed through libcrypto's SHA-256: known digests, every codec width, and the buffer-based variants that
/// the MST hot path uses agree with the general ones.
@Suite struct CIDHashingTests {
    /// FIPS 180-2 vectors: "abc", the empty input, and a two-block message.
    static let vectors: [(input: String, digest: String)] = [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ]

    @Test func digestsMatchKnownVectors() throws {
        var checked = 0
        for vector in Self.vectors {
            let bytes = Array(vector.input.utf8)
            let cid = CID.compute(codec: CID.Codec.raw, of: bytes)
            #expect(Hex.encode(Array(cid.digest)) == vector.digest, "\(vector.input)")
            #expect(cid.bytes.prefix(4) == [0x01, 0x55, 0x12, 0x20])
            #expect(cid.isBlessed)
            #expect(cid.matches(bytes))
            #expect(!cid.matches(bytes + [0]))
            let fromBuffer = bytes.withUnsafeBytes { CID.compute(codec: CID.Codec.raw, ofBuffer: $0) }
            #expect(fromBuffer == cid)
            #expect(bytes.withUnsafeBytes { cid.matches(buffer: $0) })
            checked += 1
        }
        #expect(checked == Self.vectors.count)
    }

    /// Every input length around the one-block shortcut (≤ 55 bytes) and the block boundaries hashes as swift-crypto
    /// hashes it.
    @Test func everyLengthMatchesAnIndependentSHA256() throws {
        var checked = 0
        for length in 0...200 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
            let expected = Array(SHA256.hash(data: bytes))
            #expect(Array(CID.compute(codec: CID.Codec.raw, of: bytes).digest) == expected, "length \(length)")
            checked += 1
        }
        #expect(checked == 201)
    }

    /// Codecs whose varint takes one, two and three bytes give a CID that parses back to the same fields.
    @Test func multiByteCodecsRoundTrip() throws {
        var checked = 0
        for codec: UInt64 in [0x71, 0x55, 0x80, 0x300, 0x1_0000] {
            let cid = CID.compute(codec: codec, of: [1, 2, 3])
            var expected: [UInt8] = [0x01]
            Varint.encode(codec, into: &expected)
            expected += [0x12, 0x20]
            #expect(Array(cid.bytes.prefix(expected.count)) == expected, "codec \(codec)")
            let parsed = try CID(bytes: cid.bytes)
            #expect(parsed == cid)
            #expect(parsed.codec == codec)
            #expect(parsed.digest == cid.digest)
            checked += 1
        }
        #expect(checked == 5)
    }

    /// Equality compares the whole binary form (same length and bytes), and hashing agrees with it.
    @Test func equalityComparesAllBytes() throws {
        let one = CID.compute(of: [1])
        let same = try CID(bytes: one.bytes)
        let other = CID.compute(of: [2])
        let raw = CID.compute(codec: CID.Codec.raw, of: [1])
        #expect(one == same)
        #expect(Set([one, same, other, raw]).count == 3)
        #expect(one != other)
        #expect(one != raw)  // same digest, other codec
    }

    /// A link written from a CID's bytes is the same item as one written from the CID.
    @Test func linkFromBytesMatchesLinkFromCID() throws {
        let cid = CID.compute(of: [9, 9])
        var fromCID = DAGCBORWriter()
        fromCID.writeLink(cid)
        var fromBytes = DAGCBORWriter()
        cid.bytes.withUnsafeBytes { fromBytes.writeLink(cidBytes: $0) }
        #expect(fromCID.bytes == fromBytes.bytes)
        var bytesGeneric = DAGCBORWriter()
        bytesGeneric.writeBytes([1, 2, 3][...])
        var bytesBuffer = DAGCBORWriter()
        [UInt8]([1, 2, 3]).withUnsafeBytes { bytesBuffer.writeBytes(buffer: $0) }
        #expect(bytesGeneric.bytes == bytesBuffer.bytes)
    }

    /// The inline form (36-byte sha-256 CIDs) and the general form (other hashes, digest lengths, multi-byte codecs)
    /// give back exactly the bytes parsed, compare and hash by those bytes, and order like them.
    @Test func storageFormsKeepTheirBytes() throws {
        let sha256 = CID.compute(of: [7])
        var sha512: [UInt8] = [0x01, 0x71, 0x13, 0x40]
        sha512 += (0..<64).map { UInt8($0) }
        var shortDigest: [UInt8] = [0x01, 0x55, 0x12, 0x10]
        shortDigest += (0..<16).map { UInt8($0) }
        let twoByteCodec = CID.compute(codec: 0x300, of: [7])
        let forms: [[UInt8]] = [sha256.bytes, sha512, shortDigest, twoByteCodec.bytes]
        var parsed: [CID] = []
        for bytes in forms {
            let cid = try CID(bytes: bytes)
            #expect(cid.bytes == bytes)
            #expect(cid.byteCount == bytes.count)
            #expect(cid.withUnsafeBytes { Array($0) } == bytes)
            #expect(try CID(bytes: cid.bytes) == cid)
            #expect(try CID(string: cid.string) == cid)
            var writer = DAGCBORWriter()
            writer.writeLink(cid)
            #expect(Array(writer.bytes.suffix(bytes.count)) == bytes)
            parsed.append(cid)
        }
        #expect(parsed.count == 4)
        #expect(Set(parsed).count == 4)
        #expect(parsed[0] == sha256 && parsed[3] == twoByteCodec)
        #expect(parsed[1].codec == CID.Codec.dagCBOR && parsed[1].hashCode == 0x13 && !parsed[1].isBlessed)
        #expect(parsed[2].digest.count == 16 && !parsed[2].isBlessed)
        #expect(parsed[0].isBlessedDAGCBOR && parsed[0].hashCode == CID.sha256Code && parsed[0].digest.count == 32)
        // Order is the bytes' lexicographic order, across forms.
        let byBytes = parsed.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        #expect(parsed.sorted() == byBytes)
        // Same digest, other codec: different CIDs.
        let rawSame = try CID(bytes: [0x01, 0x55] + sha256.bytes.dropFirst(2))
        #expect(rawSame != sha256 && rawSame.isBlessed && !rawSame.isBlessedDAGCBOR)
        // Parsing inside a larger buffer stops at the CID's end.
        let padded = [0xff] + sha256.bytes + [0xee]
        let inPlace = try padded.withUnsafeBytes { buffer -> (CID, Int) in
            var offset = 1
            let cid = try CID.parse(buffer, offset: &offset)
            return (cid, offset)
        }
        #expect(inPlace.0 == sha256 && inPlace.1 == 37)
        #expect(sha256.matches([7]) && !sha256.matches([8]))
    }
}
