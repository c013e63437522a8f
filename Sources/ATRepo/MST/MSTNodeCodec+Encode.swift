import ATData

/// Writing nodes: a fresh canonical encoding, or the decoded block with only its CIDs patched.
extension MSTNodeCodec {
    /// Encodes a node whose children all have CIDs into `writer` (appending).
    static func encode(_ items: [MSTItem], into writer: inout DAGCBORWriter) {
        var leafCount = 0
        for index in items.indices where !items[index].isChild { leafCount += 1 }
        encode(items, leafCount: leafCount, into: &writer)
    }

    private static func encode(_ items: [MSTItem], leafCount: Int, into writer: inout DAGCBORWriter) {
        writer.writeMapHeader(count: 2)
        writer.writeString("e")
        writer.writeArrayHeader(count: leafCount)
        var previousKey: [UInt8] = []
        var index = items.first?.isChild == true ? 1 : 0
        while index < items.count {
            guard case .leaf(let key, let value) = items[index] else {
                index += 1
                continue
            }
            let right = index + 1 < items.count ? subtreeCID(items[index + 1]) : nil
            let prefix = MSTKey.sharedPrefix(previousKey, key)
            writer.writeMapHeader(count: 4)
            writer.writeString("k")
            writer.writeBytes(key[prefix...])
            writer.writeString("p")
            writer.writeInteger(Int64(prefix))
            writer.writeString("t")
            writer.writeOptionalLink(right)
            writer.writeString("v")
            writer.writeLink(value)
            previousKey = key
            index += 1
        }
        writer.writeString("l")
        writer.writeOptionalLink(items.first.flatMap(subtreeCID))
    }

    /// The CID of a subtree item (nil for a leaf or a subtree not yet encoded).
    @inline(__always)
    private static func subtreeCID(_ item: MSTItem) -> CID? {
        switch item {
        case .leaf: nil
        case .child(let node): node.cid
        case .link: nil  // never reached: a node is re-encoded only after its links became children
        }
    }

    /// Writes the node's block with every item's current CID in its slot into `block` (replacing its contents);
    /// false when the block cannot be reused (no block, structure changed, a CID of another length).
    static func patchBlock(of node: MSTNode, into block: inout [UInt8]) -> Bool {
        guard let encoded = node.block else { return false }
        let slots = node.slots
        guard slots.count == node.items.count else { return false }
        block.removeAll(keepingCapacity: true)
        block.append(contentsOf: encoded.buffer[encoded.range])
        return block.withUnsafeMutableBufferPointer { output -> Bool in
            for index in node.items.indices {
                let cid: CID
                switch node.items[index] {
                case .leaf(_, let value): cid = value
                case .child(let child):
                    guard let known = child.cid else { return false }
                    cid = known
                case .link: continue  // untouched since decoding
                }
                let slot = slots[index]
                let offset = Int(slot.offset)
                guard cid.bytes.count == Int(slot.length), offset >= 0, offset + cid.bytes.count <= output.count else {
                    return false
                }
                cid.bytes.withUnsafeBufferPointer { source in
                    guard let from = source.baseAddress, let to = output.baseAddress else { return }
                    (to + offset).update(from: from, count: source.count)
                }
            }
            return true
        }
    }
}
