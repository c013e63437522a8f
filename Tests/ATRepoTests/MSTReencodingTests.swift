import ATData
@testable import ATRepo
import Testing

/// Trees loaded from blocks re-encode changed nodes by patching CIDs into the decoded bytes when the structure is
/// unchanged, and encode afresh otherwise. Either way the root must equal a tree built from scratch.
@Suite struct MSTReencodingTests {
    /// A record CID; every seventh is a sha2-512 CID (68 bytes, not 36), so patching must fall back.
    static func value(_ index: Int) -> CID {
        guard index % 7 == 0 else { return CID.compute(codec: CID.Codec.raw, of: [UInt8(index & 0xff), 1, 2]) }
        let digest = (0..<64).map { UInt8(truncatingIfNeeded: index &* 31 &+ $0) }
        guard let long = try? CID(bytes: [0x01, 0x55, 0x13, 0x40] + digest) else {
            Issue.record("sha2-512 CID did not parse")
            return CID.compute(of: [0])
        }
        return long
    }

    static func key(_ index: Int) -> [UInt8] { Array("app.bsky.feed.post/k\(index * 7919 % 100_003)".utf8) }

    static func built(_ model: [[UInt8]: CID]) throws -> CID {
        let sorted = model.sorted { MSTKey.precedes($0.key, $1.key) }.map { (key: $0.key, value: $0.value) }
        return try MST.build(sortedEntries: sorted).rootCID()
    }

    @Test func patchedAndFreshEncodingsMatchATreeBuiltFromScratch() throws {
        var rng = SeededRandom(state: 99)
        var model: [[UInt8]: CID] = [:]
        var live: [[UInt8]] = []  // the model's keys in a reproducible order
        var next = 0
        for _ in 0..<1_500 {
            model[Self.key(next)] = Self.value(next)
            live.append(Self.key(next))
            next += 1
        }
        let sorted = model.sorted { MSTKey.precedes($0.key, $1.key) }.map { (key: $0.key, value: $0.value) }
        var newBlocks: [CID: [UInt8]] = [:]
        var root = try MST.build(sortedEntries: sorted).rootCID(collecting: &newBlocks)
        var blocks = newBlocks.mapValues { $0[...] }
        var rounds = 0
        var patchedNodes = 0
        for round in 0..<60 {
            // Round kinds: values only (every node patchable), then mixed structural batches.
            let tree = try MST(root: root, blocks: blocks)
            let onlyUpdates = round % 3 == 0
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                let roll = onlyUpdates ? 0 : Int.random(in: 0..<3, using: &rng)
                if roll == 0, let key = live.randomElement(using: &rng) {
                    let value = Self.value(next)
                    next += 1
                    #expect(try tree.update(key, value: value) == model[key])
                    model[key] = value
                } else if roll == 1 {
                    let key = Self.key(next)
                    let value = Self.value(next)
                    next += 1
                    guard model[key] == nil else { continue }
                    try tree.insert(key, value: value)
                    model[key] = value
                    live.append(key)
                } else if let index = live.indices.randomElement(using: &rng) {
                    let key = live.remove(at: index)
                    #expect(try tree.delete(key) == model[key])
                    model[key] = nil
                }
            }
            patchedNodes += Self.countPatchable(tree.root)
            var changed: [CID: [UInt8]] = [:]
            root = tree.rootCID(collecting: &changed)
            #expect(root == (try Self.built(model)), "round \(round)")
            for (cid, bytes) in changed {
                #expect(CID.compute(of: bytes) == cid)
                blocks[cid] = bytes[...]
            }
            // The re-encoded nodes decode again to the same entries.
            let reloaded = try MST(root: root, blocks: blocks).entries()
            #expect(reloaded.count == model.count)
            #expect(reloaded.allSatisfy { model[$0.key] == $0.value })
            rounds += 1
        }
        #expect(rounds == 60)
        #expect(patchedNodes > 100)  // the patch path was exercised, not only fresh encodings
    }

    /// Dirty nodes that still hold their decoded block (the ones the root computation will patch).
    static func countPatchable(_ node: MSTNode) -> Int {
        guard node.cid == nil else { return 0 }
        var count = node.block != nil ? 1 : 0
        for item in node.items {
            if case .child(let child) = item { count += countPatchable(child) }
        }
        return count
    }

    @Test func aValueOfAnotherLengthFallsBackToAFreshEncoding() throws {
        let keys = (0..<40).map { Self.key($0) }.sorted { MSTKey.precedes($0, $1) }
        let short = CID.compute(codec: CID.Codec.raw, of: [1])
        var newBlocks: [CID: [UInt8]] = [:]
        let root = try MST.build(sortedEntries: keys.map { ($0, short) }).rootCID(collecting: &newBlocks)
        let tree = try MST(root: root, blocks: newBlocks.mapValues { $0[...] })
        let long = Self.value(7)
        #expect(long.bytes.count == 68)
        try tree.update(keys[5], value: long)
        var model = Dictionary(uniqueKeysWithValues: keys.map { ($0, short) })
        model[keys[5]] = long
        #expect(tree.rootCID() == (try Self.built(model)))
    }
}
