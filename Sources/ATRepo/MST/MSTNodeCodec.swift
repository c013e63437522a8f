import ATData

/// The DAG-CBOR form of MST nodes: `{e: [{k, p, t, v}…], l}` with mandatory prefix compression and explicit nulls.
enum MSTNodeCodec {
    /// Most entries accepted in one node (honest nodes hold a handful; this bounds key-mined nodes).
    static let maxEntries = 4096
    /// Deepest layer accepted (2-bit leading zeros of SHA-256 go to 128; real trees stay far below 32).
    static let maxLayer = 64

    /// Key range a node's keys must fall in (exclusive bounds from its parent's neighbouring leaves).
    struct Bounds {
        var lower: ArraySlice<UInt8>?
        var upper: ArraySlice<UInt8>?
        static let unbounded = Bounds(lower: nil, upper: nil)
    }

    /// Where one item's CID bytes sit in the node's block (offset from the block's start).
    struct LinkSlot {
        var offset: Int32
        var length: Int32
    }

    /// A checked node: its layer, items (leaves as `.stored`, subtrees as `.link`), the block, and the keys back
    /// to back.
    struct Decoded {
        var layer: Int
        var items: [MSTItem]
        var block: EncodedBlock
        var keys: [UInt8]
    }

    /// Decodes and checks a node. `layer` is the layer the parent expects (nil for the root).
    static func decode(_ data: EncodedBlock, cid: CID?, layer expectedLayer: Int?, bounds: Bounds)
        throws(MSTError) -> Decoded
    {
        do {
            return try decodeUnchecked(data, cid: cid, expectedLayer: expectedLayer, bounds: bounds)
        } catch let error as MSTError {
            throw error
        } catch {
            throw .invalidNode(cid, "DAG-CBOR: \(error)")
        }
    }

    private static func decodeUnchecked(_ block: EncodedBlock, cid: CID?, expectedLayer: Int?, bounds: Bounds) throws
        -> Decoded
    {
        let bytes = block.buffer
        let start = block.range.lowerBound
        var reader = try DAGCBORReader(bytes, range: block.range)
        guard try reader.readMapHeader() == 2 else { throw MSTError.invalidNode(cid, "node must have exactly e and l") }
        let eKey = try reader.readMapKey(after: nil)
        guard reader.key(eKey, is: "e") else { throw MSTError.invalidNode(cid, "node must have exactly e and l") }
        let entryCount = try reader.readArrayHeader()
        guard entryCount <= maxEntries else { throw MSTError.invalidNode(cid, "more than \(maxEntries) entries") }

        // Items are built in one pass; the left link (encoded last) is put in front at the end. Keys go back to
        // back into one buffer (room for typical keys; it grows for longer ones).
        var items: [MSTItem] = []
        items.reserveCapacity(entryCount * 2 + 1)
        var keys: [UInt8] = []
        keys.reserveCapacity(Swift.min(block.range.count, entryCount * 40))
        var previousStart = 0
        var hasRightLink = false
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
            let right = try reader.readOptionalLinkRange()
            let vKey = try reader.readMapKey(after: tKey)
            guard reader.key(vKey, is: "v") else { throw MSTError.invalidNode(cid, "entry must have k, p, t, v") }
            let value = try reader.readLinkRange()

            let previousLength = keys.count - previousStart
            guard prefix >= 0, prefix <= Int64(previousLength) else {
                throw MSTError.invalidNode(cid, "prefix length \(prefix) beyond the previous key")
            }
            if index == 0 && prefix != 0 { throw MSTError.invalidNode(cid, "first entry with a prefix") }
            let shared = Int(prefix)
            // Compression must be maximal: the suffix may not start with a byte the previous key shares.
            if index > 0, shared < previousLength, suffix.count > 0,
                bytes[suffix.lowerBound] == keys[previousStart + shared]
            {
                throw MSTError.invalidNode(cid, "prefix compression not maximal")
            }
            let keyStart = keys.count
            appendKey(to: &keys, shared: shared, previousStart: previousStart, suffix: bytes, range: suffix)
            let checked = keys.withUnsafeBufferPointer { buffer -> (valid: Bool, ordered: Bool) in
                let key = UnsafeBufferPointer(rebasing: buffer[keyStart...])
                let valid = MSTKey.isValid(bytes: key)
                let ordered =
                    index == 0 || MSTKey.compare(UnsafeBufferPointer(rebasing: buffer[previousStart..<keyStart]), key) < 0
                return (valid, ordered)
            }
            guard checked.valid else {
                throw MSTError.invalidNode(cid, "invalid key \(String(decoding: keys[keyStart...], as: UTF8.self))")
            }
            if !checked.ordered { throw MSTError.invalidNode(cid, "keys out of order") }
            // A validated binary CID is at most 4 maximal varints and a 64-byte digest, well under 256 bytes.
            items.append(.stored(keyStart: Int32(truncatingIfNeeded: keyStart), keyEnd: Int32(truncatingIfNeeded: keys.count),
                                 valueOffset: Int32(truncatingIfNeeded: value.lowerBound - start),
                                 valueLength: UInt8(truncatingIfNeeded: value.count)))
            if let right {
                guard isBlessedDAGCBOR(bytes, right) else { throw MSTError.invalidNode(cid, "subtree link not dag-cbor") }
                items.append(.link(offset: Int32(truncatingIfNeeded: right.lowerBound - start)))
                hasRightLink = true
            }
            previousStart = keyStart
        }
        let lKey = try reader.readMapKey(after: eKey)
        guard reader.key(lKey, is: "l") else { throw MSTError.invalidNode(cid, "node must have exactly e and l") }
        let left = try reader.readOptionalLinkRange()
        try reader.expectEnd()
        if let left, !isBlessedDAGCBOR(bytes, left) { throw MSTError.invalidNode(cid, "subtree link not dag-cbor") }

        if entryCount > 0 {
            let inRange = keys.withUnsafeBufferPointer { buffer -> (aboveLower: Bool, belowUpper: Bool) in
                let first = firstKeyEnd(items)
                let aboveLower = bounds.lower.map { lower in
                    lower.withUnsafeBufferPointer { MSTKey.compare($0, UnsafeBufferPointer(rebasing: buffer[0..<first])) < 0 }
                } ?? true
                let last = UnsafeBufferPointer(rebasing: buffer[previousStart...])
                let belowUpper = bounds.upper.map { upper in
                    upper.withUnsafeBufferPointer { MSTKey.compare(last, $0) < 0 }
                } ?? true
                return (aboveLower, belowUpper)
            }
            if !inRange.aboveLower { throw MSTError.invalidNode(cid, "key below the subtree's range") }
            if !inRange.belowUpper { throw MSTError.invalidNode(cid, "key above the subtree's range") }
        }

        // Layer: every key's layer must equal the node's; an entry-less node takes the layer its parent expects.
        let layer: Int
        if entryCount > 0 {
            layer = try checkedLayer(items, keys: keys, cid: cid, expected: expectedLayer)
        } else if let expectedLayer {
            guard left != nil else { throw MSTError.invalidNode(cid, "empty non-root node") }
            layer = expectedLayer
        } else {
            guard left == nil else { throw MSTError.invalidNode(cid, "root without entries that only points down") }
            return Decoded(layer: 0, items: [], block: block, keys: [])
        }
        guard layer <= maxLayer else { throw MSTError.invalidNode(cid, "layer \(layer) over \(maxLayer)") }
        if layer == 0 && (left != nil || hasRightLink) {
            throw MSTError.invalidNode(cid, "subtree below layer 0")
        }
        if let left { items.insert(.link(offset: Int32(truncatingIfNeeded: left.lowerBound - start)), at: 0) }
        return Decoded(layer: layer, items: items, block: block, keys: keys)
    }

    /// End of the first key in the key buffer (the first item is a stored leaf while decoding).
    @inline(__always)
    private static func firstKeyEnd(_ items: [MSTItem]) -> Int {
        guard case .stored(_, let end, _, _) = items.first else { return 0 }
        return Int(end)
    }

    /// The common layer of the stored leaves in `items` (which start with a leaf); throws if they differ or the
    /// parent expected another. Each key is hashed once, straight from the key buffer.
    private static func checkedLayer(_ items: [MSTItem], keys: [UInt8], cid: CID?, expected: Int?) throws -> Int {
        let result: (layer: Int, mismatch: String?) = keys.withUnsafeBytes { buffer in
            var layer: Int? = nil
            for item in items {
                guard case .stored(let start, let end, _, _) = item else { continue }
                let keyLayer = MSTKey.layer(bytes: UnsafeRawBufferPointer(rebasing: buffer[Int(start)..<Int(end)]))
                if let layer {
                    if keyLayer != layer { return (0, "entries of different layers") }
                } else {
                    if let expected, expected != keyLayer {
                        return (0, "node at layer \(keyLayer) where \(expected) was expected")
                    }
                    layer = keyLayer
                }
            }
            return (layer ?? 0, nil)
        }
        if let mismatch = result.mismatch { throw MSTError.invalidNode(cid, mismatch) }
        return result.layer
    }

    /// True when the (already validated) binary CID at `range` is CIDv1 + dag-cbor + sha2-256 with a 32-byte
    /// digest: varints are minimal, so that is exactly 36 bytes starting 01 71 12 20 (`CID.isBlessedDAGCBOR`).
    @inline(__always)
    private static func isBlessedDAGCBOR(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        range.count == 36 && bytes[range.lowerBound] == 0x01 && bytes[range.lowerBound + 1] == 0x71
            && bytes[range.lowerBound + 2] == 0x12 && bytes[range.lowerBound + 3] == 0x20
    }

    /// Appends `keys[previousStart..<previousStart + shared] + suffix[range]` to `keys`: the buffer grows first
    /// (geometrically), then both parts are copied in (the shared part from earlier in the same buffer).
    @inline(__always)
    private static func appendKey(to keys: inout [UInt8], shared: Int, previousStart: Int, suffix: [UInt8],
                                  range: Range<Int>)
    {
        let keyStart = keys.count
        keys.append(contentsOf: repeatElement(0, count: shared + range.count))
        keys.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            if shared > 0 { (base + keyStart).update(from: base + previousStart, count: shared) }
            suffix.withUnsafeBufferPointer { source in
                if let from = source.baseAddress, !range.isEmpty {
                    (base + keyStart + shared).update(from: from + range.lowerBound, count: range.count)
                }
            }
        }
    }
}
