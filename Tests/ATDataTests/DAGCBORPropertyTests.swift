import ATData
import Testing

/// Round-trip properties over random values, and "whatever decodes is canonical" over random mutations.
@Suite struct DAGCBORPropertyTests {
    /// Deterministic generator so a failure can be reproduced from its seed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomString(_ rng: inout SplitMix64) -> String {
        let pool: [String] = ["a", "b", "z", "é", "e\u{301}", "😀", "\u{0}", "key", "$typ", "text", "ß", "\n", "🧑‍🤝‍🧑"]
        let length = Int.random(in: 0...4, using: &rng)
        return (0..<length).map { _ in pool.randomElement(using: &rng) ?? "" }.joined()
    }

    static func randomValue(_ rng: inout SplitMix64, depth: Int) -> DataValue {
        let choice = Int.random(in: 0..<(depth > 3 ? 7 : 9), using: &rng)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2:
            let magnitudes: [Int64] = [0, 23, 24, 255, 256, 65535, 65536, 1 << 32, .max, .min, -1, -24, -25, -257]
            return Bool.random(using: &rng)
                ? .integer(magnitudes.randomElement(using: &rng) ?? 0)
                : .integer(Int64.random(in: .min ... .max, using: &rng))
        case 3: return .string(randomString(&rng))
        case 4: return .bytes((0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case 5:
            let data = (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
            return .link(CID.compute(codec: Bool.random(using: &rng) ? CID.Codec.dagCBOR : CID.Codec.raw, of: data))
        case 6: return .integer(Int64(Int.random(in: -30...30, using: &rng)))
        case 7:
            return .array((0..<Int.random(in: 0...5, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var map = DataMap()
            for _ in 0..<Int.random(in: 0...5, using: &rng) {
                map[randomString(&rng)] = randomValue(&rng, depth: depth + 1)
            }
            return .map(map)
        }
    }

    @Test func decodeOfEncodeIsIdentity() throws {
        var rng = SplitMix64(state: 0x7472_6962)
        for _ in 0..<2_000 {
            let value = Self.randomValue(&rng, depth: 0)
            let encoded = DAGCBOR.encode(value)
            let decoded = try DAGCBOR.decode(encoded)
            #expect(decoded == value)
            #expect(DAGCBOR.encode(decoded) == encoded)
            // The JSON form round-trips too, except that Foundation's JSON parser merges map keys that are
            // Unicode-canonically equal ("é" / "e\u{301}"); the binary path keeps them apart (tested above).
            let json = value.jsonString
            if !json.unicodeScalars.contains("\u{301}") {
                #expect(try DataValue(json: Array(json.utf8)) == value)
            }
        }
    }

    @Test func anyAcceptedMutationIsCanonical() throws {
        var rng = SplitMix64(state: 42)
        var accepted = 0
        var rejected = 0
        for _ in 0..<3_000 {
            var bytes = DAGCBOR.encode(Self.randomValue(&rng, depth: 0))
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where !bytes.isEmpty:
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                case 1 where !bytes.isEmpty:
                    bytes.removeLast(Int.random(in: 1...bytes.count, using: &rng))
                default:
                    bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
                }
            }
            do {
                let value = try DAGCBOR.decode(bytes)
                #expect(DAGCBOR.encode(value) == bytes, "accepted a non-canonical input \(Hex.encode(bytes))")
                accepted += 1
            } catch {
                rejected += 1
            }
        }
        #expect(accepted + rejected == 3_000)
        #expect(rejected > 0)
    }

    @Test func realRecordsRoundTripByteForByte() throws {
        for name in ["feedpost_record.cbor", "post_richtext_link.cbor"] {
            let bytes = try ATDataFixturePaths.bytes("realdata/repos/\(name)")
            let value = try DAGCBOR.decode(bytes)
            #expect(DAGCBOR.encode(value) == bytes)
            #expect(value["$type"]?.stringValue?.hasPrefix("app.bsky.") == true)
        }
    }
}
