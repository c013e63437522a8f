import ATData

/// The DAG-CBOR form of MST nodes: `{e: [{k, p, t, v}…], l}` with mandatory prefix compression and explicit nulls.
enum MSTNodeCodec {
    /// Most entries accepted in one node (honest nodes hold a handful; this bounds key-mined nodes).
    static let maxEntries = 4096
    /// Deepest layer accepted (2-bit leading zeros of SHA-256 go to 128; real trees stay far below 32).
    static let maxLayer = 64

    /// Key range a node's keys must fall in (exclusive bounds from its parent's neighbouring leaves).
    struct Bounds {
        var lower: [UInt8]?
        var upper: [UInt8]?
        static let unbounded = Bounds(lower: nil, upper: nil)
    }

    /// Decoded node content before layer assignment.
    struct Decoded {
        var layer: Int?
        var items: [MSTItem]
    }

    /// Decodes and checks a node. `layer` is the layer the parent expects (nil for the root).
    static func decode(_ data: ArraySlice<UInt8>, cid: CID?, layer expectedLayer: Int?, bounds: Bounds)
        throws(MSTError) -> (layer: Int, items: [MSTItem])
    {
        do {
            return try decodeUnchecked(Array(data), cid: cid, expectedLayer: expectedLayer, bounds: bounds)
        } catch let error as MSTError {
            throw error
        } catch {
            throw .invalidNode(cid, "DAG-CBOR: \(error)")
        }
    }

    private static func decodeUnchecked(_ bytes: [UInt8], cid: CID?, expectedLayer: Int?, bounds: Bounds) throws
        -> (layer: Int, items: [MSTItem])
    {
        var reader = try DAGCBORReader(bytes)
        guard try reader.readMapHeader() == 2 else { throw MSTError.invalidNode(cid, "node must have exactly e and l") }
        let eKey = try reader.readMapKey(after: nil)
        guard reader.key(eKey, is: "e") else { throw MSTError.invalidNode(cid, "node must have exactly e and l") }
        let entryCount = try reader.readArrayHeader()
        guard entryCount <= maxEntries else { throw MSTError.invalidNode(cid, "more than \(maxEntries) entries") }

        struct RawEntry {
            var key: [UInt8]
            var value: CID
            var right: CID?
        }
        var entries: [RawEntry] = []
        entries.reserveCapacity(entryCount)
        var previousKey: [UInt8] = []
        for index in 0..<entryCount {
            guard try reader.readMapHeader() == 4 else { throw MSTError.invalidNode(cid, "entry must have k, p, t, v") }
            let kKey = try reader.readMapKey(after: nil)
            guard reader.key(kKey, is: "k") else { throw MSTError.invalidNode(cid, "entry must have k, p, t, v") }
            let suffix = try reader.readBytesRange()
            let pKey = try reader.readMapKey(after: kKey)
            guard reader.key(pKey, is: "p") else { throw MSTError.invalidNode(cid, "entry must have k, p, t, v") }
            let prefix = try reader.readInteger()
            let tKey = try reader.readMapKey(after: pKey)
            guard reader.key(tKey, is: "t") else { throw MSTError.invalidNode(cid, "entry must have k, p, t, v") }
            let right = try reader.readOptionalLink()
            let vKey = try reader.readMapKey(after: tKey)
            guard reader.key(vKey, is: "v") else { throw MSTError.invalidNode(cid, "entry must have k, p, t, v") }
            let value = try reader.readLink()

            guard prefix >= 0, prefix <= Int64(previousKey.count) else {
                throw MSTError.invalidNode(cid, "prefix length \(prefix) beyond the previous key")
            }
            if index == 0 && prefix != 0 { throw MSTError.invalidNode(cid, "first entry with a prefix") }
            let shared = Int(prefix)
            // Compression must be maximal: the suffix may not start with a byte the previous key shares.
            if index > 0, shared < previousKey.count, suffix.count > 0, bytes[suffix.lowerBound] == previousKey[shared] {
                throw MSTError.invalidNode(cid, "prefix compression not maximal")
            }
            let key = joinKey(previousKey, shared: shared, suffix: bytes, range: suffix)
            guard MSTKey.isValid(key) else {
                throw MSTError.invalidNode(cid, "invalid key \(String(decoding: key, as: UTF8.self))")
            }
            if index > 0, !MSTKey.precedes(previousKey, key) {
                throw MSTError.invalidNode(cid, "keys out of order")
            }
            if let right, !right.isBlessedDAGCBOR { throw MSTError.invalidNode(cid, "subtree link not dag-cbor") }
            entries.append(RawEntry(key: key, value: value, right: right))
            previousKey = key
        }
        let lKey = try reader.readMapKey(after: eKey)
        guard reader.key(lKey, is: "l") else { throw MSTError.invalidNode(cid, "node must have exactly e and l") }
        let left = try reader.readOptionalLink()
        try reader.expectEnd()
        if let left, !left.isBlessedDAGCBOR { throw MSTError.invalidNode(cid, "subtree link not dag-cbor") }

        if let first = entries.first, let lower = bounds.lower, !MSTKey.precedes(lower, first.key) {
            throw MSTError.invalidNode(cid, "key below the subtree's range")
        }
        if let last = entries.last, let upper = bounds.upper, !MSTKey.precedes(last.key, upper) {
            throw MSTError.invalidNode(cid, "key above the subtree's range")
        }

        // Layer: every key's layer must equal the node's; an entry-less node takes the layer its parent expects.
        let layer: Int
        if let first = entries.first {
            layer = MSTKey.layer(of: first.key)
            if let expectedLayer, expectedLayer != layer {
                throw MSTError.invalidNode(cid, "node at layer \(layer) where \(expectedLayer) was expected")
            }
            for entry in entries.dropFirst() where MSTKey.layer(of: entry.key) != layer {
                throw MSTError.invalidNode(cid, "entries of different layers")
            }
        } else if let expectedLayer {
            guard left != nil else { throw MSTError.invalidNode(cid, "empty non-root node") }
            layer = expectedLayer
        } else {
            guard left == nil else { throw MSTError.invalidNode(cid, "root without entries that only points down") }
            return (0, [])
        }
        guard layer <= maxLayer else { throw MSTError.invalidNode(cid, "layer \(layer) over \(maxLayer)") }
        if layer == 0 && (left != nil || entries.contains { $0.right != nil }) {
            throw MSTError.invalidNode(cid, "subtree below layer 0")
        }

        var items: [MSTItem] = []
        items.reserveCapacity(entries.count * 2 + 1)
        if let left { items.append(.child(MSTNode(stub: left, layer: layer - 1))) }
        for entry in entries {
            items.append(.leaf(key: entry.key, value: entry.value))
            if let right = entry.right { items.append(.child(MSTNode(stub: right, layer: layer - 1))) }
        }
        return (layer, items)
    }

    /// `previous[0..<shared] + suffix[range]` in one allocation.
    @inline(__always)
    private static func joinKey(_ previous: [UInt8], shared: Int, suffix: [UInt8], range: Range<Int>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: shared + range.count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            previous.withUnsafeBufferPointer { source in
                if let from = source.baseAddress, shared > 0 { base.initialize(from: from, count: shared) }
            }
            suffix.withUnsafeBufferPointer { source in
                if let from = source.baseAddress, !range.isEmpty {
                    (base + shared).initialize(from: from + range.lowerBound, count: range.count)
                }
            }
            initialized = shared + range.count
        }
    }

    /// Encodes a node whose children all have CIDs.
    static func encode(_ items: [MSTItem]) -> [UInt8] {
        var writer = DAGCBORWriter(capacity: 64 + items.count * 80)
        writer.writeMapHeader(count: 2)
        writer.writeString("e")
        let leafCount = items.reduce(0) { $0 + ($1.isChild ? 0 : 1) }
        writer.writeArrayHeader(count: leafCount)
        var left: CID? = nil
        var previousKey: [UInt8] = []
        var index = 0
        if case .child(let node) = items.first {
            left = node.cid
            index = 1
        }
        while index < items.count {
            guard case .leaf(let key, let value) = items[index] else {
                index += 1
                continue
            }
            var right: CID? = nil
            if index + 1 < items.count, case .child(let node) = items[index + 1] { right = node.cid }
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
        writer.writeOptionalLink(left)
        return writer.bytes
    }
}
