import ATData

/// A Merkle Search Tree over a block source, possibly partial: nodes load lazily by CID, and an operation that
/// needs a node the source lacks fails with `MSTError.missingBlock`. Not thread-safe; one owner at a time.
public final class MST {
    /// Where stub nodes are loaded from.
    public let blocks: any MSTBlockSource
    var root: MSTNode
    /// Reused output buffers for node encodings (a root computation encodes one node at a time).
    private var scratch: [UInt8] = []
    private var writer = DAGCBORWriter(capacity: 0)

    /// An empty tree.
    public init(blocks: any MSTBlockSource = [CID: ArraySlice<UInt8>]()) {
        self.blocks = blocks
        self.root = MSTNode(layer: 0, items: [])
    }

    /// The tree rooted at `root`; the root node is loaded (and checked) now, the rest on demand.
    public init(root: CID, blocks: any MSTBlockSource) throws(MSTError) {
        guard root.isBlessedDAGCBOR else { throw .invalidNode(root, "root CID not dag-cbor sha-256") }
        guard let data = blocks.blockInBuffer(for: root) else { throw .missingBlock(root) }
        let decoded = try MSTNodeCodec.decode(data, cid: root, layer: nil, bounds: .unbounded)
        let node = MSTNode(layer: decoded.layer, items: decoded.items)
        node.cid = root
        node.block = decoded.block
        node.keys = decoded.keys
        self.blocks = blocks
        self.root = node
    }

    /// Builds a tree from entries sorted by key (strictly increasing) in one pass.
    public static func build(sortedEntries: [(key: [UInt8], value: CID)]) throws(MSTError) -> MST {
        var previous: [UInt8]? = nil
        var layers: [Int] = []
        layers.reserveCapacity(sortedEntries.count)
        for entry in sortedEntries {
            guard MSTKey.isValid(entry.key) else { throw .invalidKey(String(decoding: entry.key, as: UTF8.self)) }
            if let previous, !previous.lexicographicallyPrecedes(entry.key) {
                throw .keyExists(String(decoding: entry.key, as: UTF8.self))
            }
            previous = entry.key
            layers.append(MSTKey.layer(of: entry.key))
        }
        let tree = MST()
        guard let top = layers.max() else { return tree }
        tree.root = buildNode(sortedEntries, layers: layers, range: 0..<sortedEntries.count, layer: top)
        return tree
    }

    private static func buildNode(_ entries: [(key: [UInt8], value: CID)], layers: [Int], range: Range<Int>,
                                  layer: Int) -> MSTNode
    {
        var items: [MSTItem] = []
        var runStart = range.lowerBound
        for index in range where layers[index] == layer {
            if runStart < index {
                items.append(.child(buildNode(entries, layers: layers, range: runStart..<index, layer: layer - 1)))
            }
            items.append(.leaf(key: entries[index].key[...], value: entries[index].value))
            runStart = index + 1
        }
        if runStart < range.upperBound {
            items.append(.child(buildNode(entries, layers: layers, range: runStart..<range.upperBound, layer: layer - 1)))
        }
        return MSTNode(layer: layer, items: items)
    }

    // MARK: loading

    /// Makes sure `node` is decoded.
    @inline(__always)
    func load(_ node: MSTNode) throws(MSTError) {
        guard !node.isLoaded else { return }
        guard let cid = node.cid else { throw .invalidNode(nil, "stub without CID") }
        guard let data = blocks.blockInBuffer(for: cid) else { throw .missingBlock(cid) }
        let decoded = try MSTNodeCodec.decode(data, cid: cid, layer: node.layer, bounds: node.bounds)
        node.items = decoded.items
        node.block = decoded.block
        node.keys = decoded.keys
        node.isLoaded = true
    }

    // MARK: reading

    /// The value stored at `key`, nil if absent; throws if the path to it is not available.
    public func get(_ key: [UInt8]) throws(MSTError) -> CID? {
        var node = root
        while true {
            try load(node)
            let position = node.locate(key)
            if position.found {
                guard let value = node.value(at: position.index) else { throw .invalidNode(node.cid, "unreadable value") }
                return value
            }
            guard position.index > 0, let child = node.child(at: position.index - 1) else { return nil }
            node = child
        }
    }

    /// The value stored at a string key.
    public func get(_ key: String) throws(MSTError) -> CID? { try get(Array(key.utf8)) }

    /// True when the tree holds no entries.
    public var isEmpty: Bool { root.isLoaded && root.items.isEmpty }

    /// Every entry in key order (loads the whole tree).
    public func entries() throws(MSTError) -> [(key: [UInt8], value: CID)] {
        var output: [(key: [UInt8], value: CID)] = []
        try collect(root, into: &output)
        return output
    }

    private func collect(_ node: MSTNode, into output: inout [(key: [UInt8], value: CID)]) throws(MSTError) {
        try load(node)
        // A whole-tree walk keeps no encoded blocks (a later change just encodes such a node afresh); the links
        // become stubs first, while the block still holds their CIDs.
        try node.detachItems()
        for index in node.items.indices {
            if case .leaf(let leaf) = node.items[index] {
                output.append((Array(leaf.key), leaf.value))
            } else if let child = node.child(at: index) {
                try collect(child, into: &output)
            }
        }
    }

    // MARK: root CID

    /// The root CID, encoding every changed node.
    public func rootCID() -> CID { cid(of: root, sink: nil) }

    /// The root CID, adding the block of every node encoded for it to `newBlocks`.
    public func rootCID(collecting newBlocks: inout [CID: [UInt8]]) -> CID {
        let sink = BlockSink()
        let result = cid(of: root, sink: sink)
        newBlocks.merge(sink.blocks) { existing, _ in existing }
        return result
    }

    /// Collects encoded node blocks during a root computation.
    final class BlockSink {
        var blocks: [CID: [UInt8]] = [:]

        /// Keeps an exact-size copy: the scratch buffers have room for the largest node seen, and sharing them
        /// would make every kept block (a repository writer keeps them all) hold that much memory.
        func keep(_ cid: CID, _ bytes: [UInt8]) {
            blocks[cid] = bytes.withUnsafeBufferPointer { Array($0) }
        }
    }

    private func cid(of node: MSTNode, sink: BlockSink?) -> CID {
        if let known = node.cid { return known }
        for index in node.items.indices {
            if case .child(let child) = node.items[index], child.cid == nil { _ = cid(of: child, sink: sink) }
        }
        let computed: CID
        if sink == nil, let digest = MSTNodeCodec.patchedDigest(of: node) {
            computed = CID.sha256(digest: digest)
        } else if MSTNodeCodec.patchBlock(of: node, into: &scratch) {
            computed = CID.compute(of: scratch)
            sink?.keep(computed, scratch)
        } else {
            // Stored leaves and links are written from the block they were decoded from, which stays for later
            // patching (a patch checks every slot's length, so a value of another length falls back to here again).
            // One allocation below 1 KiB for typical nodes (growing from empty would take several, the last of
            // them big enough to send glibc malloc down its slow path).
            if writer.bytes.capacity == 0 { writer = DAGCBORWriter(capacity: 768) }
            writer.removeAll()
            MSTNodeCodec.encode(node, into: &writer)
            computed = CID.compute(of: writer.bytes)
            sink?.keep(computed, writer.bytes)
        }
        node.cid = computed
        return computed
    }
}
