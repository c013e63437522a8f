import ATData

/// Insert, update and delete, keeping the tree in its one canonical shape (splitting and merging subtrees).
extension MST {
    /// Inserts a new key; throws `keyExists` if it is present.
    public func insert(_ key: [UInt8], value: CID) throws(MSTError) {
        guard MSTKey.isValid(key) else { throw .invalidKey(String(decoding: key, as: UTF8.self)) }
        let layer = MSTKey.layer(of: key)
        try load(root)
        if root.items.isEmpty {
            root = MSTNode(layer: layer, items: [.leaf(key: key[...], value: value)])
            return
        }
        if layer > root.layer {
            // The new key sits above the current root: split the whole tree around it.
            let (left, right) = try split(root, around: key)
            var items: [MSTItem] = []
            if let left { items.append(.child(wrap(left, upTo: layer - 1))) }
            items.append(.leaf(key: key[...], value: value))
            if let right { items.append(.child(wrap(right, upTo: layer - 1))) }
            root = MSTNode(layer: layer, items: items)
            return
        }
        try insert(key, layer: layer, value: value, into: root)
    }

    /// Replaces the value of an existing key, returning the previous value; throws `keyNotFound` if absent.
    @discardableResult
    public func update(_ key: [UInt8], value: CID) throws(MSTError) -> CID {
        var node = root
        while true {
            try load(node)
            let position = node.locate(key)
            // Marked changed on the way down (after a miss the content is as it was, so re-encoding gives the same).
            node.cid = nil
            if position.found {
                guard let stored = node.key(at: position.index), let previous = node.value(at: position.index) else {
                    throw .invalidNode(nil, "unreadable value")
                }
                // A decoded leaf keeps its value's place in the block, so the node can still be patched.
                var slot: MSTNodeCodec.LinkSlot? = nil
                switch node.items[position.index] {
                case .stored(_, _, let offset, let length): slot = MSTNodeCodec.LinkSlot(offset: offset, length: Int32(length))
                case .leaf(let leaf): slot = leaf.slot
                case .child, .link: break
                }
                node.items[position.index] = .leaf(MSTLeaf(key: stored, value: value, slot: slot))
                return previous
            }
            guard position.index > 0, let child = node.child(at: position.index - 1) else {
                throw .keyNotFound(String(decoding: key, as: UTF8.self))
            }
            node = child
        }
    }

    /// Deletes a key, returning its value; throws `keyNotFound` if absent.
    @discardableResult
    public func delete(_ key: [UInt8]) throws(MSTError) -> CID {
        try load(root)
        let removed = try delete(key, from: root)
        // Trim a root that has become a lone pointer down.
        while root.items.count == 1, let child = root.child(at: 0) {
            try load(child)
            root = child
        }
        if root.items.isEmpty { root = MSTNode(layer: 0, items: []) }
        return removed
    }

    // MARK: internals

    private func insert(_ key: [UInt8], layer: Int, value: CID, into node: MSTNode) throws(MSTError) {
        try load(node)
        let position = node.locate(key)
        if position.found { throw .keyExists(String(decoding: key, as: UTF8.self)) }
        let index = position.index
        let gapChild = index > 0 ? node.child(at: index - 1) : nil
        if layer == node.layer {
            node.beginStructuralChange()  // only the gap child's neighbours change, and it is materialized
            if let gapChild {
                let (left, right) = try split(gapChild, around: key)
                var replacement: [MSTItem] = []
                if let left { replacement.append(.child(left)) }
                replacement.append(.leaf(key: key[...], value: value))
                if let right { replacement.append(.child(right)) }
                node.items.replaceSubrange((index - 1)..<index, with: replacement)
            } else {
                node.items.insert(.leaf(key: key[...], value: value), at: index)
            }
        } else if let gapChild {
            try insert(key, layer: layer, value: value, into: gapChild)
        } else {
            node.beginStructuralChange()  // the new subtree goes between two leaves
            let leafNode = MSTNode(layer: layer, items: [.leaf(key: key[...], value: value)])
            node.items.insert(.child(wrap(leafNode, upTo: node.layer - 1)), at: index)
        }
        node.cid = nil
    }

    /// Splits a subtree into the parts below and above `key` (which is not in it); nil for an empty part.
    func split(_ node: MSTNode, around key: [UInt8]) throws(MSTError) -> (MSTNode?, MSTNode?) {
        try load(node)
        try node.detachItems()  // its items move into two new nodes
        let index = node.locate(key).index
        var leftItems = Array(node.items[0..<index])
        var rightItems = Array(node.items[index...])
        if index > 0, case .child(let child) = node.items[index - 1] {
            let (childLeft, childRight) = try split(child, around: key)
            leftItems.removeLast()
            if let childLeft { leftItems.append(.child(childLeft)) }
            if let childRight { rightItems.insert(.child(childRight), at: 0) }
        }
        let left = leftItems.isEmpty ? nil : MSTNode(layer: node.layer, items: leftItems)
        let right = rightItems.isEmpty ? nil : MSTNode(layer: node.layer, items: rightItems)
        return (left, right)
    }

    /// Wraps a node in entry-less parents until it sits at `layer`.
    func wrap(_ node: MSTNode, upTo layer: Int) -> MSTNode {
        var current = node
        while current.layer < layer {
            current = MSTNode(layer: current.layer + 1, items: [.child(current)])
        }
        return current
    }

    /// Deletes `key` from the subtree at `node` without hashing the key on the way: a key found in a node has that
    /// node's layer (decoding checks every key's layer, and the tree places every key it adds at its layer). Only a
    /// miss needs the key's layer, to give the error a walk stopped at that layer would have given.
    private func delete(_ key: [UInt8], from node: MSTNode) throws(MSTError) -> CID {
        try load(node)
        let position = node.locate(key)
        let index = position.index
        if position.found {
            guard let value = node.value(at: index) else { throw .invalidNode(node.cid, "unreadable value") }
            // The subtrees on either side lose this neighbour (and may merge): materialize them first.
            if index > 0 { _ = node.child(at: index - 1) }
            if index + 1 < node.items.count { _ = node.child(at: index + 1) }
            node.beginStructuralChange()
            node.items.remove(at: index)
            // Two subtrees that the removed key separated now touch: merge them.
            if index > 0, index < node.items.count, case .child(let left) = node.items[index - 1],
                case .child(let right) = node.items[index]
            {
                let merged = try merge(left, right)
                node.items.replaceSubrange((index - 1)...index, with: [.child(merged)])
            }
            node.cid = nil
            return value
        }
        guard index > 0, let child = node.child(at: index - 1) else {
            throw .keyNotFound(String(decoding: key, as: UTF8.self))
        }
        let value: CID
        do {
            value = try delete(key, from: child)
        } catch {
            // The key's layer would have ended the walk here (nothing below holds it): a plain miss.
            if MSTKey.layer(of: key) >= node.layer { throw .keyNotFound(String(decoding: key, as: UTF8.self)) }
            throw error
        }
        if child.items.isEmpty || isHollow(child) {
            node.beginStructuralChange()  // the child sat between two leaves, which now touch
            node.items.remove(at: index - 1)
        }
        node.cid = nil
        return value
    }

    /// True for a chain of entry-less nodes that ends in nothing (left behind when a subtree's last key goes).
    private func isHollow(_ node: MSTNode) -> Bool {
        guard node.isLoaded else { return false }
        if node.items.isEmpty { return true }
        if node.items.count == 1, let child = node.child(at: 0) { return isHollow(child) }
        return false
    }

    /// Joins two adjacent subtrees of the same layer.
    func merge(_ left: MSTNode, _ right: MSTNode) throws(MSTError) -> MSTNode {
        try load(left)
        try load(right)
        try left.detachItems()  // both give their items to the merged node
        try right.detachItems()
        var items = left.items
        if case .child(let leftTail) = left.items.last, case .child(let rightHead) = right.items.first {
            let merged = try merge(leftTail, rightHead)
            items.removeLast()
            items.append(.child(merged))
            items.append(contentsOf: right.items.dropFirst())
        } else {
            items.append(contentsOf: right.items)
        }
        return MSTNode(layer: left.layer, items: items)
    }
}
