import ATData
import Foundation
@testable import ATRepo
import Testing

/// Every case of ../shared/interop/mst/* and the commit-proof fixtures.
@Suite struct MSTInteropTests {
    @Test func keyHeights() throws {
        let cases = try #require(try RepoFixtures.jsonArray("interop/mst/key_heights.json"))
        #expect(cases.count > 0)
        var checked = 0
        for entry in cases {
            let key = try #require(entry["key"] as? String)
            let height = try #require(entry["height"] as? Int)
            #expect(MSTKey.layer(of: key) == height, "\(key)")
            checked += 1
        }
        #expect(checked == cases.count)
    }

    @Test func commonPrefix() throws {
        let cases = try #require(try RepoFixtures.jsonArray("interop/mst/common_prefix.json"))
        #expect(cases.count > 0)
        var checked = 0
        for entry in cases {
            let left = try #require(entry["left"] as? String)
            let right = try #require(entry["right"] as? String)
            let length = try #require(entry["len"] as? Int)
            #expect(MSTKey.commonPrefixLength(Array(left.utf8), Array(right.utf8)) == length, "\(left) \(right)")
            checked += 1
        }
        #expect(checked == cases.count)
    }

    static func exampleKeys() throws -> [String] {
        let text = String(decoding: try RepoFixtures.data("interop/mst/example_keys.txt"), as: UTF8.self)
        return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    @Test func exampleKeysBuildTheSameTreeInAnyOrder() throws {
        let keys = try Self.exampleKeys()
        #expect(keys.count == 156)
        let value = CID.compute(of: [0xa0])
        let sorted = keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let built = try MST.build(sortedEntries: sorted.map { (Array($0.utf8), value) })
        let expected = built.rootCID()
        var rng = SeededRandom(state: 7)
        for _ in 0..<20 {
            let tree = MST()
            for key in keys.shuffled(using: &rng) { try tree.insert(Array(key.utf8), value: value) }
            #expect(tree.rootCID() == expected)
            for key in keys { #expect(try tree.get(key) == value) }
            for key in keys.shuffled(using: &rng) { try tree.delete(Array(key.utf8)) }
            #expect(tree.isEmpty)
            #expect(tree.rootCID() == MST().rootCID())
        }
    }

    @Test func commitProofFixtures() throws {
        let cases = try #require(try RepoFixtures.jsonArray("interop/firehose/commit-proof-fixtures.json"))
        #expect(cases.count == 6)
        var checked = 0
        for entry in cases {
            let comment = entry["comment"] as? String ?? "?"
            let leaf = try CID(string: try #require(entry["leafValue"] as? String))
            let keys = try #require(entry["keys"] as? [String])
            let adds = try #require(entry["adds"] as? [String])
            let dels = try #require(entry["dels"] as? [String])
            let before = try CID(string: try #require(entry["rootBeforeCommit"] as? String))
            let after = try CID(string: try #require(entry["rootAfterCommit"] as? String))
            let inProof = try (try #require(entry["blocksInProof"] as? [String])).map { try CID(string: $0) }

            // Build the starting tree, keep all its blocks.
            let tree = MST()
            for key in keys { try tree.insert(Array(key.utf8), value: leaf) }
            var store = BlockStore()
            var nodes: [CID: [UInt8]] = [:]
            #expect(tree.rootCID(collecting: &nodes) == before, "\(comment)")
            // Apply the commit.
            var ops: [RepoOp] = []
            for key in adds {
                try tree.insert(Array(key.utf8), value: leaf)
                ops.append(RepoOp(action: .create, path: key, cid: leaf, prev: nil))
            }
            for key in dels {
                try tree.delete(Array(key.utf8))
                ops.append(RepoOp(action: .delete, path: key, cid: nil, prev: leaf))
            }
            var newNodes: [CID: [UInt8]] = [:]
            let newRoot = tree.rootCID(collecting: &newNodes)
            #expect(newRoot == after, "\(comment)")
            for (cid, bytes) in nodes.merging(newNodes, uniquingKeysWith: { a, _ in a }) { store.put(cid, bytes) }

            // The proof: nodes read by verification plus all new nodes; it must hold every fixture block.
            var proof = Set(try CommitProof.requiredNodes(ops: ops, newRoot: newRoot, store: store))
            proof.formUnion(newNodes.keys)
            for cid in inProof { #expect(proof.contains(cid), "\(comment): missing \(cid)") }

            // Inversion with only the proof blocks returns to the old root.
            var diff: [CID: ArraySlice<UInt8>] = [:]
            for cid in proof { diff[cid] = store[cid].map { $0[...] } }
            let partial = try MST(root: newRoot, blocks: diff)
            let inverted = try CommitVerifier.invert(ops, keys: ops.map { Array($0.path.utf8) }, on: partial)
            #expect(inverted == before, "\(comment)")
            checked += 1
        }
        #expect(checked == 6)
    }
}
