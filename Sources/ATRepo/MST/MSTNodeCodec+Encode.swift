import ATData

/// Writing nodes: a fresh canonical encoding, or the decoded block with only its CIDs patched.
extension MSTNodeCodec {
    /// Encodes a node whose children all have CIDs into `writer` (appending). Items still in their decoded form
    /// (`.stored` leaves, `.link` subtrees) are written from the node's block and key buffer.
    static func encode(_ node: MSTNode, into writer: inout DAGCBORWriter) {
        let items = node.items
        var leafCount = 0
        for index in items.indices where !items[index].isChild { leafCount += 1 }
        writer.writeMapHeader(count: 2)
        writer.writeString("e")
        writer.writeArrayHeader(count: leafCount)
        var previousKey: ArraySlice<UInt8> = []
        var index = items.first?.isChild == true ? 1 : 0
        while index < items.count {
            guard let key = node.key(at: index) else {
                index += 1
                continue
            }
            let prefix = MSTKey.sharedPrefix(previousKey, key)
            writer.writeMapHeader(count: 4)
            writer.writeString("k")
            key.withUnsafeBytes { writer.writeBytes(buffer: UnsafeRawBufferPointer(rebasing: $0[prefix...])) }
            writer.writeString("p")
            writer.writeInteger(Int64(prefix))
            writer.writeString("t")
            if index + 1 < items.count {
                writeSubtree(of: node, at: index + 1, into: &writer)
            } else {
                writer.writeNull()
            }
            writer.writeString("v")
            writeValue(of: node, at: index, into: &writer)
            previousKey = key
            index += 1
        }
        writer.writeString("l")
        if items.isEmpty {
            writer.writeNull()
        } else {
            writeSubtree(of: node, at: 0, into: &writer)
        }
    }

    /// Writes the link of the subtree at `index`, or null for a leaf.
    private static func writeSubtree(of node: MSTNode, at index: Int, into writer: inout DAGCBORWriter) {
        switch node.items[index] {
        case .leaf, .stored:
            writer.writeNull()
        case .child(let child):
            // Children are encoded before their parent, so the CID is known.
            writer.writeOptionalLink(child.cid)
        case .link(let offset):
            writeBlockCID(of: node, offset: offset, length: 36, into: &writer)
        }
    }

    /// Writes the value link of the leaf at `index`.
    private static func writeValue(of node: MSTNode, at index: Int, into writer: inout DAGCBORWriter) {
        switch node.items[index] {
        case .leaf(let leaf):
            writer.writeLink(leaf.value)
        case .stored(_, _, let offset, let length):
            writeBlockCID(of: node, offset: offset, length: Int(length), into: &writer)
        case .child, .link:
            writer.writeNull()  // never reached: called for leaves only
        }
    }

    /// Writes a link whose binary CID sits in the node's block (validated when the node was decoded).
    private static func writeBlockCID(of node: MSTNode, offset: Int32, length: Int, into writer: inout DAGCBORWriter) {
        guard let block = node.block, offset >= 0, block.range.lowerBound + Int(offset) + length <= block.range.upperBound
        else {
            writer.writeNull()  // never reached: `.stored` and `.link` items exist only while the block does
            return
        }
        let start = block.range.lowerBound + Int(offset)
        block.buffer.withUnsafeBytes { buffer in
            writer.writeLink(cidBytes: UnsafeRawBufferPointer(rebasing: buffer[start..<(start + length)]))
        }
    }

    /// What re-encoding by patching does with one item of a node that still holds its block.
    private enum Patch {
        /// Untouched since decoding: its bytes in the block stand.
        case keep
        /// Its current CID goes at `offset` (replacing `length` bytes).
        case write(CID, offset: Int, length: Int)
        /// The block cannot be reused (an item without a known place in it, or a subtree without a CID).
        case impossible
    }

    @inline(__always)
    private static func patch(_ item: MSTItem) -> Patch {
        switch item {
        case .stored, .link:
            return .keep
        case .leaf(let leaf):
            guard let slot = leaf.slot else { return .impossible }
            return .write(leaf.value, offset: Int(slot.offset), length: Int(slot.length))
        case .child(let child):
            guard let cid = child.cid, child.linkOffset >= 0 else { return .impossible }
            return .write(cid, offset: Int(child.linkOffset), length: 36)
        }
    }

    /// SHA-256 of the node's block with every item's current CID in its place, hashed in pieces (no copy of the
    /// block); nil when the block cannot be reused (as for `patchBlock`).
    static func patchedDigest(of node: MSTNode) -> SHA256Digest? {
        guard let encoded = node.block, !node.structureChanged else { return nil }
        let items = node.items
        var hasher = SHA256Hasher()
        let complete = encoded.buffer.withUnsafeBytes { buffer -> Bool in
            let base = encoded.range.lowerBound
            let count = encoded.range.count
            var position = 0  // relative to the block's start
            while true {
                // Places are not in item order (an entry's right link precedes its value; the left link is last),
                // so take the patch nearest after `position`. Only changed items are patched: a handful.
                var next: (cid: CID, offset: Int, length: Int)? = nil
                for item in items {
                    switch patch(item) {
                    case .keep: continue
                    case .impossible: return false
                    case .write(let cid, let offset, let length):
                        if offset >= position, offset < (next?.offset ?? Int.max) { next = (cid, offset, length) }
                    }
                }
                guard let next else {
                    hasher.update(UnsafeRawBufferPointer(rebasing: buffer[(base + position)..<(base + count)]))
                    return true
                }
                guard next.cid.byteCount == next.length, next.offset + next.length <= count else { return false }
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[(base + position)..<(base + next.offset)]))
                next.cid.withUnsafeBytes { hasher.update($0) }
                position = next.offset + next.length
            }
        }
        return complete ? hasher.finalize() : nil
    }

    /// Writes the node's block with every item's current CID in its place into `block` (replacing its contents);
    /// false when the block cannot be reused (no block, structure changed, a CID of another length).
    static func patchBlock(of node: MSTNode, into block: inout [UInt8]) -> Bool {
        guard let encoded = node.block, !node.structureChanged else { return false }
        block.removeAll(keepingCapacity: true)
        block.append(contentsOf: encoded.buffer[encoded.range])
        return block.withUnsafeMutableBufferPointer { output -> Bool in
            for item in node.items {
                switch patch(item) {
                case .keep: continue
                case .impossible: return false
                case .write(let cid, let offset, let length):
                    guard cid.byteCount == length, offset >= 0, offset + length <= output.count else { return false }
                    cid.withUnsafeBytes { source in
                        UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: output[offset..<(offset + length)]))
                            .copyMemory(from: source)
                    }
                }
            }
            return true
        }
    }
}
