import ATData

/// The fast parser: canonical DAG-CBOR leaves an MST node exactly one byte layout (fixed keys in fixed order,
/// shortest heads), so the scanner matches those bytes directly instead of asking a general reader for each head
/// and key. It accepts only what the general reader accepts, and gives up (nil) on anything else; the general
/// reader then decodes the node or names its error. Both feed the same `NodeAssembler`, so the rules and errors
/// are the same either way.
extension MSTNodeCodec {
    /// Decodes the node if its bytes have the layout every honest node has, with each link a 36-byte sha-256 CID;
    /// nil when they do not. Structure errors are thrown as the general path would throw them.
    static func scan(_ block: EncodedBlock, cid: CID?, expectedLayer: Int?, bounds: Bounds) throws -> Decoded?
    {
        guard block.range.lowerBound >= 0, block.range.upperBound <= block.buffer.count,
            block.range.count <= DAGCBORLimits.default.maxInputBytes
        else { return nil }
        return try block.buffer.withUnsafeBytes { bytes -> Decoded? in
            var scanner = NodeScanner(bytes: bytes, position: block.range.lowerBound, end: block.range.upperBound)
            // {"e": [...
            guard scanner.take(0xa2, 0x61, 0x65), let count = scanner.head(major: 0x80) else { return nil }
            var assembler = try NodeAssembler(cid: cid, block: block, entryCount: count)
            for _ in 0..<count {
                // {"k": bytes, "p": uint, "t": link or null, "v": link}
                var right: Range<Int>? = nil
                guard scanner.take(0xa4, 0x61, 0x6b), let suffix = scanner.byteString(),
                    scanner.take(0x61, 0x70), let prefix = scanner.head(major: 0x00),
                    scanner.take(0x61, 0x74), scanner.optionalLink(&right),
                    scanner.take(0x61, 0x76), let value = scanner.link()
                else { return nil }
                try assembler.add(bytes, suffix: suffix, prefix: Int64(prefix), right: right, value: value)
            }
            // ], "l": link or null}
            var left: Range<Int>? = nil
            guard scanner.take(0x61, 0x6c), scanner.optionalLink(&left), scanner.isAtEnd else { return nil }
            return try assembler.finish(bytes, block: block, left: left, expectedLayer: expectedLayer, bounds: bounds)
        }
    }

    /// A cursor over a node's bytes that matches the layout's pieces; every method checks the bytes it reads are
    /// there and leaves the cursor anywhere on a mismatch (the caller then gives up).
    private struct NodeScanner {
        let bytes: UnsafeRawBufferPointer
        var position: Int
        let end: Int

        var isAtEnd: Bool { position == end }

        /// Consumes the given bytes if they come next.
        @inline(__always)
        mutating func take(_ first: UInt8, _ second: UInt8) -> Bool {
            guard end - position >= 2, bytes[position] == first, bytes[position + 1] == second else { return false }
            position += 2
            return true
        }

        @inline(__always)
        mutating func take(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> Bool {
            guard end - position >= 3, bytes[position] == first, bytes[position + 1] == second,
                bytes[position + 2] == third
            else { return false }
            position += 3
            return true
        }

        /// A head of the given major type (its initial byte's top bits) in shortest form with an argument below
        /// 65,536 (an array length, a byte-string length, a prefix length).
        @inline(__always)
        mutating func head(major: UInt8) -> Int? {
            guard position < end else { return nil }
            let initial = bytes[position]
            guard initial & 0xe0 == major else { return nil }
            switch initial & 0x1f {
            case let small where small < 24:
                position += 1
                return Int(small)
            case 24:
                guard end - position >= 2, bytes[position + 1] >= 24 else { return nil }
                position += 2
                return Int(bytes[position - 1])
            case 25:
                guard end - position >= 3 else { return nil }
                let value = Int(bytes[position + 1]) << 8 | Int(bytes[position + 2])
                guard value >= 256 else { return nil }
                position += 3
                return value
            default:
                return nil
            }
        }

        /// A byte string's contents.
        @inline(__always)
        mutating func byteString() -> Range<Int>? {
            guard let length = head(major: 0x40), end - position >= length else { return nil }
            position += length
            return (position - length)..<position
        }

        /// A link in the sha-256 form: tag 42, a 37-byte string, the 0x00 prefix, then `01 <codec> 12 20` and the
        /// digest. Returns the binary CID's range.
        @inline(__always)
        mutating func link() -> Range<Int>? {
            guard end - position >= 41, bytes[position] == 0xd8, bytes[position + 1] == 0x2a,
                bytes[position + 2] == 0x58, bytes[position + 3] == 0x25, bytes[position + 4] == 0x00,
                bytes[position + 5] == 0x01, bytes[position + 6] < 0x80, bytes[position + 7] == 0x12,
                bytes[position + 8] == 0x20
            else { return nil }
            position += 41
            return (position - 36)..<position
        }

        /// A link (into `range`) or null (nil into `range`); false if neither comes next.
        @inline(__always)
        mutating func optionalLink(_ range: inout Range<Int>?) -> Bool {
            if position < end, bytes[position] == 0xf6 {
                position += 1
                range = nil
                return true
            }
            guard let link = link() else { return false }
            range = link
            return true
        }
    }
}
