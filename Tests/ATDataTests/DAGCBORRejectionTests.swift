import ATData
import Testing

/// Each non-canonical or malformed form yields its own typed error.
@Suite struct DAGCBORRejectionTests {
    static let cases: [(hex: String, error: DAGCBORError, note: String)] = [
        ("1805", .nonCanonicalHead, "1-byte argument below 24"),
        ("1900ff", .nonCanonicalHead, "2-byte argument below 256"),
        ("1a0000ffff", .nonCanonicalHead, "4-byte argument below 65536"),
        ("1b00000000ffffffff", .nonCanonicalHead, "8-byte argument below 2^32"),
        ("7803616263", .nonCanonicalHead, "string length in a longer head"),
        ("5f4161ff", .indefiniteLength, "indefinite byte string"),
        ("7f6161ff", .indefiniteLength, "indefinite text"),
        ("9f01ff", .indefiniteLength, "indefinite array"),
        ("bf616101ff", .indefiniteLength, "indefinite map"),
        ("ff", .indefiniteLength, "stray break"),
        ("1c", .reservedInfo, "reserved info 28"),
        ("f93c00", .floatNotAllowed, "half float"),
        ("fa3f800000", .floatNotAllowed, "single float"),
        ("fb3ff0000000000000", .floatNotAllowed, "double float"),
        ("f7", .simpleValueNotAllowed, "undefined"),
        ("f0", .simpleValueNotAllowed, "simple 16"),
        ("f820", .simpleValueNotAllowed, "one-byte simple"),
        ("c074323031332d30332d32315432303a30343a30305a", .tagNotAllowed(0), "date tag"),
        ("c24101", .tagNotAllowed(2), "bignum"),
        ("d82b4100", .tagNotAllowed(43), "tag 43"),
        ("d82a4101", .invalidLink, "link without 0x00 prefix"),
        ("d82a63616263", .invalidLink, "link over text"),
        ("d82a4100", .invalidLink, "empty CID"),
        ("a10102", .mapKeyNotString, "integer key"),
        ("a1410102", .mapKeyNotString, "bytes key"),
        ("a2616201616102", .mapKeysOutOfOrder, "bytewise order"),
        ("a262616101616202", .mapKeysOutOfOrder, "length-first order"),
        ("a2616101616102", .duplicateMapKey, "duplicate key"),
        ("1bffffffffffffffff", .integerOutOfRange, "above Int64.max"),
        ("3b8000000000000000", .integerOutOfRange, "below Int64.min"),
        ("62c328", .invalidUTF8, "bad continuation"),
        ("63eda080", .invalidUTF8, "surrogate"),
        ("62c080", .invalidUTF8, "overlong"),
        ("64f4908080", .invalidUTF8, "above U+10FFFF"),
        ("0102", .trailingBytes, "two items"),
        ("6261", .truncated, "short text"),
        ("5affffffff", .truncated, "huge byte-string length"),
        ("9affffffff01", .tooLarge, "array count over the cap"),
        ("baffffffff", .tooLarge, "map count over the cap"),
        ("99010001", .truncated, "array count beyond the input"),
        ("b901006161", .truncated, "map count beyond the input"),
        ("", .truncated, "empty input"),
    ]

    @Test func eachMalformedFormHasItsError() throws {
        var checked = 0
        for entry in Self.cases {
            let bytes = try #require(Hex.decode(entry.hex))
            #expect(throws: entry.error, "\(entry.note)") { try DAGCBOR.decode(bytes) }
            checked += 1
        }
        #expect(checked == Self.cases.count)
    }

    @Test func extremesOfTheIntegerRangeDecode() throws {
        #expect(try DAGCBOR.decode(#require(Hex.decode("1b7fffffffffffffff"))) == .integer(.max))
        #expect(try DAGCBOR.decode(#require(Hex.decode("3b7fffffffffffffff"))) == .integer(.min))
    }

    @Test func deepNestingIsCapped() throws {
        let bytes = [UInt8](repeating: 0x81, count: 10_000) + [0x01]
        #expect(throws: DAGCBORError.depthExceeded) { try DAGCBOR.decode(bytes) }
        let shallow = [UInt8](repeating: 0x81, count: 100) + [0x01]
        #expect(throws: Never.self) { try DAGCBOR.decode(shallow) }
    }

    @Test func inputAndCollectionCapsApply() throws {
        let limits = DAGCBORLimits(maxInputBytes: 10, maxDepth: 4, maxCollectionCount: 3)
        #expect(throws: DAGCBORError.tooLarge) { try DAGCBOR.decode([UInt8](repeating: 0x40, count: 11), limits: limits) }
        #expect(throws: DAGCBORError.tooLarge) { try DAGCBOR.decode([0x84, 1, 2, 3, 4], limits: limits) }
        #expect(throws: DAGCBORError.depthExceeded) { try DAGCBOR.decode([0x81, 0x81, 0x81, 0x81, 0x81, 1], limits: limits) }
    }
}

extension DAGCBORRejectionTests {
    /// A string whose length runs exactly one byte past the end, inside a map (found by the mutation test).
    @Test func lengthOnePastTheEndInsideAMap() throws {
        let bytes = try #require(Hex.decode("a16077f09f"))
        #expect(throws: DAGCBORError.truncated) { try DAGCBOR.decode(bytes) }
    }
}

extension DAGCBORRejectionTests {
    /// The allocation-free link read accepts and rejects exactly what `readOptionalLink` does, and its range holds
    /// the same CID bytes.
    @Test func linkRangeAgreesWithLinkRead() throws {
        let cid = CID.compute(of: [1, 2, 3])
        var writer = DAGCBORWriter()
        writer.writeLink(cid)
        let good = writer.bytes
        let inputs: [[UInt8]] = [
            good, [0xf6], Array(good.dropLast()), good.dropLast() + [0x00],
        ] + ["d82a4101", "d82a63616263", "d82a4100", "d82b4100", "d82a450012200102", "d82a4700017112200102",
             "d82a460001711220", "f5", "01", ""].map { Hex.decode($0) ?? [] }
        var checked = 0
        for input in inputs {
            var plain = try DAGCBORReader(input)
            var ranged = try DAGCBORReader(input)
            let expected = Result { () throws(DAGCBORError) -> CID? in try plain.readOptionalLink() }
            let range = Result { () throws(DAGCBORError) -> Range<Int>? in try ranged.readOptionalLinkRange() }
            switch (expected, range) {
            case (.success(let link), .success(let range)):
                #expect(link?.bytes == range.map { Array(input[$0]) }, "\(input)")
                #expect(plain.position == ranged.position)
            case (.failure(let first), .failure(let second)):
                #expect(first == second, "\(input)")
            default:
                Issue.record("readOptionalLink and readOptionalLinkRange disagree on \(input)")
            }
            // The non-optional range read agrees with `readLink` the same way (null is a type error for both).
            var link = try DAGCBORReader(input)
            var linkRange = try DAGCBORReader(input)
            let read = Result { () throws(DAGCBORError) -> CID in try link.readLink() }
            let readRange = Result { () throws(DAGCBORError) -> Range<Int> in try linkRange.readLinkRange() }
            switch (read, readRange) {
            case (.success(let cid), .success(let range)):
                #expect(cid.bytes == Array(input[range]), "\(input)")
                #expect(link.position == linkRange.position)
            case (.failure(let first), .failure(let second)):
                #expect(first == second, "\(input)")
            default:
                Issue.record("readLink and readLinkRange disagree on \(input)")
            }
            checked += 1
        }
        #expect(checked == 14)
    }
}
