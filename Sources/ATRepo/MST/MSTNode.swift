import ATData

/// One item of a node in key order: a leaf (key → record CID) or a subtree one layer down.
enum MSTItem {
    case leaf(key: [UInt8], value: CID)
    /// A subtree the tree holds as a node (possibly a stub not loaded yet).
    case child(MSTNode)
    /// A subtree known only by the link in its decoded parent's block (the offset of the 36-byte blessed CID from
    /// the block's start); `MSTNode.child(at:)` turns it into a stub on first use, so decoding a node allocates
    /// nothing (not even a `CID`) for the subtrees an operation never visits.
    case link(offset: Int32)

    var isChild: Bool {
        if case .leaf = self { return false }
        return true
    }
}

/// A node of an in-memory MST. A node may be a stub (only its CID known) until the tree loads it from blocks.
final class MSTNode {
    /// The node's layer (leaves at this layer; children one below).
    let layer: Int
    /// Items in key order; never two children side by side.
    var items: [MSTItem]
    /// The CID of the node as last encoded or loaded; nil after a change.
    var cid: CID?
    /// False for a stub whose block has not been decoded yet.
    var isLoaded: Bool
    /// The key range its parent allows it (checked when a stub is loaded; bounds its `.link` children).
    var bounds = MSTNodeCodec.Bounds.unbounded
    /// The node's encoded block while its item structure is as encoded there: re-encoding after only CIDs changed
    /// (a child's, or a leaf's value) patches these bytes in place instead of writing the node again.
    var block: EncodedBlock?
    /// For each item, where its CID (leaf value or subtree link) sits in `block`; valid while `block` is set.
    var slots: [MSTNodeCodec.LinkSlot] = []

    /// A stub for a node known only by CID.
    init(stub cid: CID?, layer: Int) {
        self.layer = layer
        self.items = []
        self.cid = cid
        self.isLoaded = false
    }

    /// A new (dirty) node.
    init(layer: Int, items: [MSTItem]) {
        self.layer = layer
        self.items = items
        self.cid = nil
        self.isLoaded = true
    }

    /// True when the node holds nothing at all.
    var isEmpty: Bool { isLoaded && items.isEmpty }

    /// The subtree at `index`, nil for a leaf (a `.link` becomes a stub bounded by its neighbours here).
    @inline(__always)
    func child(at index: Int) -> MSTNode? {
        switch items[index] {
        case .leaf: return nil
        case .child(let node): return node
        case .link(let offset): return materialize(offset, at: index)
        }
    }

    /// The CID of a `.link` item (the block holds it while any `.link` is left; nil if not, or not a CID).
    func linkCID(at offset: Int32) -> CID? {
        guard let block else { return nil }
        let start = block.range.lowerBound + Int(offset)
        guard offset >= 0, start + 36 <= block.range.upperBound else { return nil }
        return block.buffer.withUnsafeBytes { buffer -> CID? in
            var position = start
            guard let cid = try? CID.parse(buffer, offset: &position), position == start + 36 else { return nil }
            return cid
        }
    }

    private func materialize(_ offset: Int32, at index: Int) -> MSTNode {
        // A link that cannot be read back (impossible after decoding) leaves a CID-less stub, which fails to load.
        let node = MSTNode(stub: linkCID(at: offset), layer: layer - 1)
        var lower = bounds.lower
        var upper = bounds.upper
        if index > 0, case .leaf(let key, _) = items[index - 1] { lower = key }
        if index + 1 < items.count, case .leaf(let key, _) = items[index + 1] { upper = key }
        node.bounds = MSTNodeCodec.Bounds(lower: lower, upper: upper)
        items[index] = .child(node)
        return node
    }

    /// Call before inserting, removing or moving items: links become stubs while their neighbours still give the
    /// bounds they were decoded with, and the encoded block no longer matches the structure.
    func beginStructuralChange() {
        for index in items.indices {
            if case .link(let offset) = items[index] { _ = materialize(offset, at: index) }
        }
        block = nil
        slots = []
    }

    /// Index of the leaf with `key`, or the position of the first leaf above it (the gap's child, if any, sits
    /// just before that position). Nodes hold a handful of items, so a linear scan is the fast choice.
    func locate(_ key: [UInt8]) -> (found: Bool, index: Int) {
        var index = 0
        while index < items.count {
            if case .leaf(let leafKey, _) = items[index] {
                let order = MSTKey.compare(leafKey, key)
                if order == 0 { return (true, index) }
                if order > 0 { break }
            }
            index += 1
        }
        return (false, index)
    }
}
