import ATData

/// A leaf the tree holds itself (built, inserted, updated, or moved out of its decoded node). The key is a slice,
/// so moving a decoded key out of its node's key buffer copies nothing.
struct MSTLeaf {
    let key: ArraySlice<UInt8>
    let value: CID
    /// Where the value sits in its node's block, for a decoded leaf whose value changed (the patch target).
    let slot: MSTNodeCodec.LinkSlot?

    init(key: ArraySlice<UInt8>, value: CID, slot: MSTNodeCodec.LinkSlot? = nil) {
        self.key = key
        self.value = value
        self.slot = slot
    }
}

/// One item of a node in key order: a leaf (key → record CID) or a subtree one layer down.
enum MSTItem {
    /// A leaf the tree holds itself, boxed: inline it made every item ~90 bytes, so a decoded node's item array
    /// (entries and links, ~1 KiB) missed glibc's small-allocation cache and every item copy moved the whole leaf.
    /// Boxed, items are 16 bytes; the 1-op inversion got ~20 % faster and `MST.build` (a box per record) ~35 % slower.
    indirect case leaf(MSTLeaf)
    /// A leaf as decoded: its key is `keys[keyStart..<keyEnd]` of its node and its value the binary CID of
    /// `valueLength` bytes at `valueOffset` in the node's block. It becomes a `.leaf` when it changes or moves, so
    /// decoding a node allocates no key or `CID` per entry.
    case stored(keyStart: Int32, keyEnd: Int32, valueOffset: Int32, valueLength: UInt8)
    /// A subtree the tree holds as a node (possibly a stub not loaded yet).
    case child(MSTNode)
    /// A subtree known only by the link in its decoded parent's block (the offset of the 36-byte blessed CID from
    /// the block's start); `MSTNode.child(at:)` turns it into a stub on first use, so decoding a node allocates
    /// nothing (not even a `CID`) for the subtrees an operation never visits.
    case link(offset: Int32)

    /// A leaf item.
    static func leaf(key: ArraySlice<UInt8>, value: CID) -> MSTItem { .leaf(MSTLeaf(key: key, value: value)) }

    var isChild: Bool {
        switch self {
        case .leaf, .stored: false
        case .child, .link: true
        }
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
    /// The node's encoded block while any item still lives in it (`.stored` leaves, `.link` subtrees). While the
    /// item structure is as encoded there (`structureChanged` false), re-encoding after only CIDs changed (a child's,
    /// or a leaf's value) patches these bytes in place instead of writing the node again.
    var block: EncodedBlock?
    /// True once items were inserted or removed in place: the block still backs the remaining decoded items but no
    /// longer matches the node, so it is encoded afresh.
    var structureChanged = false
    /// Where its parent's block holds the link to it (set when a `.link` becomes this node; -1 otherwise), so the
    /// parent can patch this node's new CID in.
    var linkOffset: Int32 = -1
    /// The decoded keys back to back (`.stored` items point into it).
    var keys: [UInt8] = []

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
        case .leaf, .stored: return nil
        case .child(let node): return node
        case .link(let offset): return materialize(offset, at: index)
        }
    }

    /// The key of the leaf at `index` (nil for a subtree).
    @inline(__always)
    func key(at index: Int) -> ArraySlice<UInt8>? {
        switch items[index] {
        case .leaf(let leaf): return leaf.key
        case .stored(let start, let end, _, _): return keys[Int(start)..<Int(end)]
        case .child, .link: return nil
        }
    }

    /// The value of the leaf at `index` (nil for a subtree, or a stored value that does not read back, which
    /// decoding rules out).
    func value(at index: Int) -> CID? {
        switch items[index] {
        case .leaf(let leaf): return leaf.value
        case .stored(_, _, let offset, let length):
            return cidInBlock(at: offset, length: Int(length))
        case .child, .link: return nil
        }
    }

    /// The CID of a `.link` item (the block holds it while any `.link` is left; nil if not, or not a CID).
    func linkCID(at offset: Int32) -> CID? { cidInBlock(at: offset, length: 36) }

    /// The binary CID of `length` bytes at `offset` in the block, parsed (one allocation: its bytes).
    private func cidInBlock(at offset: Int32, length: Int) -> CID? {
        guard let block else { return nil }
        let start = block.range.lowerBound + Int(offset)
        guard offset >= 0, length > 0, start + length <= block.range.upperBound else { return nil }
        return block.buffer.withUnsafeBytes { buffer -> CID? in
            var position = start
            let bounded = UnsafeRawBufferPointer(rebasing: buffer[..<(start + length)])
            guard let cid = try? CID.parse(bounded, offset: &position), position == start + length else { return nil }
            return cid
        }
    }

    private func materialize(_ offset: Int32, at index: Int) -> MSTNode {
        // A link that cannot be read back (impossible after decoding) leaves a CID-less stub, which fails to load.
        let node = MSTNode(stub: linkCID(at: offset), layer: layer - 1)
        node.linkOffset = offset
        var lower = bounds.lower
        var upper = bounds.upper
        if index > 0, let key = key(at: index - 1) { lower = key }
        if index + 1 < items.count, let key = key(at: index + 1) { upper = key }
        node.bounds = MSTNodeCodec.Bounds(lower: lower, upper: upper)
        items[index] = .child(node)
        return node
    }

    /// Call before inserting or removing items of this node in place (the other items stay): patching is off from
    /// now on. The caller materializes first every subtree link whose neighbours the change alters (`child(at:)`),
    /// so that it keeps the bounds it was decoded with; the other decoded items stay as they are.
    func beginStructuralChange() {
        structureChanged = true
    }

    /// Call before moving items out of this node (split, merge, a whole-tree walk): links become stubs while their
    /// neighbours still give the bounds they were decoded with, stored leaves take their keys and values out of the
    /// node's buffers, and the node lets go of its block.
    func detachItems() throws(MSTError) {
        guard block != nil else { return }  // only a decoded node holds `.link` and `.stored` items
        for index in items.indices {
            switch items[index] {
            case .link(let offset):
                _ = materialize(offset, at: index)
            case .stored(let start, let end, _, _):
                guard let value = value(at: index) else { throw .invalidNode(cid, "stored value unreadable") }
                items[index] = .leaf(key: keys[Int(start)..<Int(end)], value: value)
            case .leaf, .child:
                continue
            }
        }
        block = nil
        structureChanged = true
        keys = []  // the moved keys keep the buffer alive as slices
    }

    /// Index of the leaf with `key`, or the position of the first leaf above it (the gap's child, if any, sits
    /// just before that position). Nodes hold a handful of items, so a linear scan is the fast choice.
    func locate(_ key: [UInt8]) -> (found: Bool, index: Int) {
        let items = self.items
        return key.withUnsafeBufferPointer { target in
            keys.withUnsafeBufferPointer { stored in
                var index = 0
                while index < items.count {
                    let order: Int
                    switch items[index] {
                    case .stored(let start, let end, _, _):
                        order = MSTKey.compare(UnsafeBufferPointer(rebasing: stored[Int(start)..<Int(end)]), target)
                    case .leaf(let leaf):
                        order = leaf.key.withUnsafeBufferPointer { MSTKey.compare($0, target) }
                    case .child, .link:
                        index += 1
                        continue
                    }
                    if order == 0 { return (true, index) }
                    if order > 0 { break }
                    index += 1
                }
                return (false, index)
            }
        }
    }
}
