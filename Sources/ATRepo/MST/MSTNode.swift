import ATData

/// One item of a node in key order: a leaf (key → record CID) or a link to a subtree one layer down.
enum MSTItem {
    case leaf(key: [UInt8], value: CID)
    case child(MSTNode)

    var isChild: Bool {
        if case .child = self { return true }
        return false
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
    /// For a stub: the key range its parent allows it (checked when it is loaded).
    var bounds = MSTNodeCodec.Bounds.unbounded

    /// A stub for a node known only by CID.
    init(stub cid: CID, layer: Int) {
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
