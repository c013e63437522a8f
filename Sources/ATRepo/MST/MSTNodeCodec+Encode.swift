import ATData

/// Writing nodes: a fresh canonical encoding, or the decoded block with only its CIDs patched.
extension MSTNodeCodec {
    /// Encodes a node whose children all have CIDs.
    static func encode(_ items: [MSTItem]) -> [UInt8] {
        var leafCount = 0
        for index in items.indices where !items[index].isChild { leafCount += 1 }
        var writer = DAGCBORWriter(capacity: 16 + leafCount * 120)
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
        return writer.bytes
    }

    /// The CID of a subtree item (nil for a leaf or a subtree not yet encoded).
    @inline(__always)
    private static func subtreeCID(_ item: MSTItem) -> CID? {
        switch item {
        case .leaf: nil
        case .child(let node): node.cid
        case .link(let cid): cid
        }
    }

    /// The node's block with every item's current CID written into its slot, or nil when the block cannot be
    /// reused (no block, structure changed, a CID of another length). Takes the block from the node so the bytes
    /// are patched in place; the caller stores the result back.
    static func patchedBlock(of node: MSTNode) -> [UInt8]? {
        guard var block = node.block else { return nil }
        node.block = nil
        let slots = node.slots
        guard slots.count == node.items.count else { return nil }
        let patched = block.withUnsafeMutableBufferPointer { output -> Bool in
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
        return patched ? block : nil
    }
}
