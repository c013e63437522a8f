import ATData
import Foundation
import Testing

/// CAR v1 reading (with hash verification) and writing.
@Suite struct CARTests {
    static func sampleBlocks(_ count: Int) -> [(cid: CID, data: [UInt8])] {
        (0..<count).map { index in
            let data = DAGCBOR.encode(["index": .integer(Int64(index)), "text": .string("block \(index)")])
            return (CID.compute(of: data), data)
        }
    }

    @Test func writeThenReadRoundTrips() throws {
        let blocks = Self.sampleBlocks(50)
        let car = CARWriter.encode(roots: [blocks[0].cid], blocks: blocks)
        let file = try CARFile(car, limits: .commitDiff)
        #expect(file.roots == [blocks[0].cid])
        #expect(file.blocks.count == 50)
        for block in blocks {
            #expect(file[block.cid].map(Array.init) == block.data)
        }
    }

    @Test func tamperedBlockIsRejected() throws {
        let blocks = Self.sampleBlocks(3)
        var car = CARWriter.encode(roots: [blocks[0].cid], blocks: blocks)
        car[car.count - 2] ^= 0x01
        #expect(throws: CARError.hashMismatch(blocks[2].cid)) { try CARFile(car, limits: .commitDiff) }
    }

    @Test func malformedCARsGiveTypedErrors() throws {
        let blocks = Self.sampleBlocks(2)
        let car = CARWriter.encode(roots: [blocks[0].cid], blocks: blocks)
        #expect(throws: CARError.truncated) { try CARFile(Array(car.dropLast()), limits: .commitDiff) }
        #expect(throws: CARError.self) { try CARFile([0x00], limits: .commitDiff) }
        #expect(throws: CARError.truncated) { try CARFile([0x05, 0xa1], limits: .commitDiff) }
        // A header claiming a huge length.
        #expect(throws: CARError.self) { try CARFile([0xff, 0xff, 0xff, 0xff, 0x0f], limits: .commitDiff) }
        // Header version 2.
        var writer = DAGCBORWriter()
        writer.write(["roots": .array([.link(blocks[0].cid)]), "version": 2])
        #expect(throws: CARError.invalidHeader("version must be 1")) {
            try CARFile(Varint.encode(UInt64(writer.bytes.count)) + writer.bytes, limits: .commitDiff)
        }
        // Block count cap.
        let many = CARWriter.encode(roots: [blocks[0].cid], blocks: Self.sampleBlocks(20))
        let tight = CARLimits(maxTotalBytes: 1 << 20, maxBlocks: 10)
        #expect(throws: CARError.tooLarge("more than 10 blocks")) { try CARFile(many, limits: tight) }
        // Every truncation point inside a section gives an error, never a crash; a cut between sections is a
        // valid, shorter CAR.
        let header = CARWriter.header(roots: [blocks[0].cid])
        let firstBlockEnd = header.count + 1 + blocks[0].cid.bytes.count + blocks[0].data.count
        let boundaries: Set<Int> = [header.count, firstBlockEnd]
        var errors = 0
        for cut in 0..<car.count {
            if boundaries.contains(cut) {
                #expect(try CARFile(Array(car[..<cut]), limits: .commitDiff).blocks.count < 2)
            } else {
                #expect(throws: CARError.self) { try CARFile(Array(car[..<cut]), limits: .commitDiff) }
                errors += 1
            }
        }
        #expect(errors == car.count - 2)
    }

    @Test func duplicateBlocksAreTolerated() throws {
        let blocks = Self.sampleBlocks(2)
        let car = CARWriter.encode(roots: [blocks[0].cid], blocks: blocks + blocks)
        let file = try CARFile(car, limits: .commitDiff)
        #expect(file.blocks.count == 4)
        #expect(file.blockMap.count == 2)
    }

    @Test func realRepositoryExportsVerify() throws {
        var total = 0
        for name in ["fakermaker.repo.car", "paul_staging.repo.car", "greenground.repo.car", "repo_slice.car"] {
            let bytes = try ATDataFixturePaths.bytes("realdata/repos/\(name)")
            let file = try CARFile(bytes, limits: .fullRepository)
            let root = try #require(file.roots.first)
            let commitBytes = try #require(file[root])
            let commit = try DAGCBOR.decode(Array(commitBytes))
            #expect(commit["did"]?.stringValue?.hasPrefix("did:") == true, "\(name)")
            #expect(commit["data"]?.linkValue != nil)
            // Every dag-cbor block decodes canonically and re-encodes to the same bytes.
            for block in file.blocks where block.cid.codec == CID.Codec.dagCBOR {
                let data = Array(file.bytes[block.dataRange])
                #expect(DAGCBOR.encode(try DAGCBOR.decode(data)) == data)
            }
            total += file.blocks.count
        }
        #expect(total > 1_000)
    }

    @Test func realFirehoseCommitBlocksVerify() throws {
        let folder = ATDataFixturePaths.shared.appendingPathComponent("realdata/firehose")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(names.count == 4)
        for name in names {
            let message = try DataValue(json: try Data(contentsOf: folder.appendingPathComponent(name)))
            let blocks = try #require(message["blocks"]?.bytesValue)
            let file = try CARFile(blocks, limits: .commitDiff)
            #expect(file.roots.first == message["commit"]?.linkValue, "\(name)")
            let commitBytes = try #require(file[file.roots[0]])
            let commit = try DAGCBOR.decode(Array(commitBytes))
            #expect(commit["did"]?.stringValue == message["repo"]?.stringValue)
            #expect(commit["rev"]?.stringValue == message["rev"]?.stringValue)
        }
    }
}
