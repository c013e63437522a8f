import ATData
@testable import ATRepo
import Testing

/// The byte scanner (the fast node parser) must decide exactly as the general DAG-CBOR reader does: the same decoded
/// node for every node it accepts, the same error for every node it rejects, and it may only give up (nil), never
/// accept what the reader refuses.
@Suite struct MSTNodeParserTests {
    /// Node blocks of a tree of 3,000 keys with a mix of 36-byte and 68-byte (sha2-512) value CIDs.
    static func nodeBlocks() throws -> [[UInt8]] {
        var entries: [(key: [UInt8], value: CID)] = []
        for index in 0..<3_000 {
            entries.append((MSTReencodingTests.key(index), MSTReencodingTests.value(index)))
        }
        entries.sort { MSTKey.precedes($0.key, $1.key) }
        var blocks: [CID: [UInt8]] = [:]
        _ = try MST.build(sortedEntries: entries).rootCID(collecting: &blocks)
        return blocks.keys.sorted { $0.string < $1.string }.compactMap { blocks[$0] }
    }

    /// What a parser made of a block: the decoded node (layer, items, keys) or the error.
    enum Outcome: Equatable {
        case decoded(layer: Int, items: String, keys: [UInt8])
        case failed(String)
    }

    static func outcome(_ body: () throws -> MSTNodeCodec.Decoded?) -> Outcome? {
        do {
            guard let decoded = try body() else { return nil }
            return .decoded(layer: decoded.layer, items: "\(decoded.items)", keys: decoded.keys)
        } catch {
            return .failed("\(error)")
        }
    }

    /// Expects the scanner to decide as the reader does; returns whether the scanner decided at all.
    static func compare(_ bytes: [UInt8], layer: Int?, bounds: MSTNodeCodec.Bounds = .unbounded) -> Bool {
        let block = EncodedBlock(buffer: bytes, range: 0..<bytes.count)
        let read = outcome { try MSTNodeCodec.read(block, cid: nil, expectedLayer: layer, bounds: bounds) }
        guard let scanned = outcome({ try MSTNodeCodec.scan(block, cid: nil, expectedLayer: layer, bounds: bounds) })
        else { return false }
        #expect(scanned == read, "scanner and reader disagree on \(bytes)")
        return true
    }

    @Test func honestNodesTakeTheScannerAndDecodeAsTheReaderDoes() throws {
        let blocks = try Self.nodeBlocks()
        #expect(blocks.count > 500)
        var scannedCount = 0
        for bytes in blocks {
            if Self.compare(bytes, layer: nil) { scannedCount += 1 }
        }
        // Nodes holding a 68-byte value are left to the reader; every other node is scanned.
        #expect(scannedCount > blocks.count / 3)
        #expect(scannedCount < blocks.count)
    }

    @Test func damagedNodesGetTheSameVerdictFromBothParsers() throws {
        let blocks = try Self.nodeBlocks()
        var random = SeededRandom(state: 0x5CA7)
        var cases = 0
        var scannedCases = 0
        for bytes in blocks.prefix(400) {
            for _ in 0..<25 {
                var damaged = bytes
                switch Int.random(in: 0..<5, using: &random) {
                case 0:  // flip one bit
                    let index = Int.random(in: 0..<damaged.count, using: &random)
                    damaged[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
                case 1:  // replace one byte
                    let index = Int.random(in: 0..<damaged.count, using: &random)
                    damaged[index] = UInt8.random(in: 0...255, using: &random)
                case 2:  // truncate
                    damaged.removeLast(Int.random(in: 1...damaged.count, using: &random))
                case 3:  // insert a byte
                    damaged.insert(UInt8.random(in: 0...255, using: &random),
                                   at: Int.random(in: 0...damaged.count, using: &random))
                default:  // trailing byte
                    damaged.append(UInt8.random(in: 0...255, using: &random))
                }
                let layer: Int? = Bool.random(using: &random) ? nil : Int.random(in: 0...3, using: &random)
                if Self.compare(damaged, layer: layer) { scannedCases += 1 }
                cases += 1
            }
        }
        #expect(cases == 10_000)
        // Many damaged nodes still have the layout (a changed key or digest byte) and are judged by the scanner.
        #expect(scannedCases > 1_000)
    }

    @Test func nonMinimalHeadsAreLeftToTheReader() throws {
        // {"e": [], "l": null} with the array length written in a one-byte argument (0x98 0x00): not canonical.
        let nonMinimal: [UInt8] = [0xa2, 0x61, 0x65, 0x98, 0x00, 0x61, 0x6c, 0xf6]
        let block = EncodedBlock(buffer: nonMinimal, range: 0..<nonMinimal.count)
        #expect(try MSTNodeCodec.scan(block, cid: nil, expectedLayer: nil, bounds: .unbounded) == nil)
        #expect(throws: MSTError.self) {
            try MSTNodeCodec.decode(block, cid: nil, layer: nil, bounds: .unbounded)
        }
        // The canonical form of the same empty root is accepted by the scanner itself.
        let canonical: [UInt8] = [0xa2, 0x61, 0x65, 0x80, 0x61, 0x6c, 0xf6]
        let empty = try MSTNodeCodec.scan(EncodedBlock(buffer: canonical, range: 0..<canonical.count), cid: nil,
                                          expectedLayer: nil, bounds: .unbounded)
        #expect(empty?.items.isEmpty == true)
    }
}
