import ATData
import Testing

/// Varint, base32, base58, base64, hex and CID primitives.
@Suite struct EncodingTests {
    @Test func varintIsMinimalAndBounded() throws {
        for value: UInt64 in [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 32, (1 << 63) - 1] {
            let encoded = Varint.encode(value)
            #expect(encoded.count == Varint.encodedLength(value))
            let decoded = try Varint.decode(encoded)
            #expect(decoded.value == value && decoded.length == encoded.count)
        }
        #expect(throws: Varint.DecodeError.nonMinimal) { try Varint.decode([0x80, 0x00]) }
        #expect(throws: Varint.DecodeError.nonMinimal) { try Varint.decode([0xff, 0x00]) }
        #expect(throws: Varint.DecodeError.truncated) { try Varint.decode([0x80]) }
        #expect(throws: Varint.DecodeError.tooLong) { try Varint.decode([UInt8](repeating: 0x80, count: 10) + [1]) }
    }

    @Test func base58KnownVectors() throws {
        #expect(Base58.encode(Array("Hello World!".utf8)) == "2NEpo7TZRRrLZSi2U")
        #expect(Base58.encode([0, 0, 1]) == "112")
        #expect(Base58.decode("112") == [0, 0, 1])
        #expect(Base58.decode("0OIl") == nil)
        #expect(Base58.decode(String(repeating: "2", count: 5000)) == nil)
    }

    @Test func base32AndBase64RoundTrip() throws {
        var rng = DAGCBORPropertyTests.SplitMix64(state: 9)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(Base32.decode(Base32.encode(bytes)) == bytes)
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(Base64.decode(Base64.encode(bytes, padded: true)) == bytes)
            #expect(Hex.decode(Hex.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("foob".utf8)) == "Zm9vYg")
        #expect(Base32.decode("ABC") == nil)
        #expect(Base64.decode("a") == nil)
        #expect(Base64.decode("a*==") == nil)
    }

    @Test func cidParsingAndComputation() throws {
        let text = "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a"
        let cid = try CID(string: text)
        #expect(cid.string == text)
        #expect(cid.isBlessedDAGCBOR)
        #expect(try CID(bytes: cid.bytes) == cid)
        let raw = try CID(string: "bafkreiccldh766hwcnuxnf2wh6jgzepf2nlu2lvcllt63eww5p6chi4ity")
        #expect(raw.isBlessed && raw.codec == CID.Codec.raw && !raw.isBlessedDAGCBOR)
        let computed = CID.compute(of: [0xa0])
        #expect(computed.matches([0xa0]))
        #expect(!computed.matches([0xa1]))
        #expect(throws: CIDError.badString) { try CID(string: "QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR") }
        #expect(throws: CIDError.badString) { try CID(string: "zdj7WWeQ43G6JJvLWQWZpyHuAMq6uYWRjkBXFad11vE2LHhQ7") }
        #expect(throws: CIDError.unsupportedVersion) { try CID(bytes: [0x12, 0x20] + [UInt8](repeating: 0, count: 32)) }
        #expect(throws: CIDError.trailingBytes) { try CID(bytes: cid.bytes + [0]) }
        #expect(throws: CIDError.truncated) { try CID(bytes: cid.bytes.dropLast()) }
        #expect(throws: CIDError.digestTooLong) { try CID(bytes: [0x01, 0x71, 0x12, 0x7f] + [UInt8](repeating: 0, count: 127)) }
    }
}
