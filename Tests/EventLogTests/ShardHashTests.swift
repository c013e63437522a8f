import EventLog
import Testing

@Suite("Shard hash and filter (design §5)")
struct ShardHashTests {
    struct Vector: Sendable {
        let did: String
        let hash: UInt64
        let shards: [(count: Int, shard: Int)]
    }

    static let vectors: [Vector] = [
        Vector(did: "did:plc:ewvi7nxzyoun6zhxrhs64oiz", hash: 0x099e_4ea9_6cd6_2c05, shards: [(16, 0), (256, 9)]),
        Vector(did: "did:web:example.com", hash: 0x3e23_4cd3_3525_135d, shards: [(4, 0), (16, 3), (256, 62)]),
        Vector(
            did: "did:plc:44ybard66vv44zksje25o7dz", hash: 0xcfe5_6478_1cef_d579,
            shards: [(2, 1), (4, 3), (16, 12), (256, 207)]),
    ]

    @Test func designVectors() throws {
        #expect(Self.vectors.count == 3)
        var checked = 0
        for vector in Self.vectors {
            #expect(ShardHash.of(did: vector.did) == vector.hash, "\(vector.did)")
            for (count, shard) in vector.shards {
                let filter = try ShardFilter(index: shard, count: count)
                #expect(filter.shard(of: vector.hash) == shard)
                #expect(filter.contains(vector.hash))
                let other = try ShardFilter(index: (shard + 1) % count, count: count)
                #expect(!other.contains(vector.hash))
                checked += 1
            }
            #expect(try ShardFilter(index: 0, count: 1).contains(vector.hash))
        }
        #expect(checked == 9)
    }

    @Test func invalidParameters() {
        #expect(throws: ShardFilter.Invalid.count(3)) { try ShardFilter(index: 0, count: 3) }
        #expect(throws: ShardFilter.Invalid.count(512)) { try ShardFilter(index: 0, count: 512) }
        #expect(throws: ShardFilter.Invalid.count(0)) { try ShardFilter(index: 0, count: 0) }
        #expect(throws: ShardFilter.Invalid.index(4, count: 4)) { try ShardFilter(index: 4, count: 4) }
        #expect(throws: ShardFilter.Invalid.index(-1, count: 4)) { try ShardFilter(index: -1, count: 4) }
    }

    /// Shard i of N is exactly shards 2i and 2i+1 of 2N, so a consumer fleet can double without reshuffling.
    @Test func doublingSplitsShards() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let hash = generator.next() as UInt64
            var count = 1
            while count < 256 {
                let coarse = try ShardFilter(index: 0, count: count).shard(of: hash)
                let fine = try ShardFilter(index: 0, count: count * 2).shard(of: hash)
                #expect(fine / 2 == coarse)
                count *= 2
            }
        }
    }
}
