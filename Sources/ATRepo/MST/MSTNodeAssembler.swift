import ATData

extension MSTNodeCodec {
    /// Checks a node's entries in the order a parser reads them and builds the decoded node. Both parsers (the byte
    /// scanner and the general DAG-CBOR reader) feed it, so every structure rule is written once and a node fails
    /// with the same error whichever parser read it.
    struct NodeAssembler {
        let cid: CID?
        /// Where the block starts in its buffer (item offsets are relative to it).
        let blockStart: Int
        let entryCount: Int
        /// Leaves as `.stored`, right subtrees as `.link`; the left link (encoded last) goes in front at the end.
        private var items: [MSTItem] = []
        /// The decoded keys back to back.
        private var keys: [UInt8] = []
        private var previousStart = 0
        /// Where the previous key's `/` is (relative to its start).
        private var previousSlash = 0
        private var hasRightLink = false
        private var index = 0

        init(cid: CID?, block: EncodedBlock, entryCount: Int) throws(MSTError) {
            guard entryCount <= maxEntries else { throw .invalidNode(cid, "more than \(maxEntries) entries") }
            self.cid = cid
            self.blockStart = block.range.lowerBound
            self.entryCount = entryCount
            items.reserveCapacity(entryCount * 2 + 1)
            // Room for typical keys; it grows for longer ones.
            keys.reserveCapacity(Swift.min(block.range.count, entryCount * 40))
        }

        /// Checks and adds one entry: its key suffix, prefix length, right subtree link and value link, as ranges
        /// of `bytes` (the block's whole buffer; the links are binary CIDs already checked by the parser).
        @inline(__always)
        mutating func add(_ bytes: UnsafeRawBufferPointer, suffix: Range<Int>, prefix: Int64, right: Range<Int>?,
                          value: Range<Int>) throws(MSTError)
        {
            let previousLength = keys.count - previousStart
            guard prefix >= 0, prefix <= Int64(previousLength) else {
                throw .invalidNode(cid, "prefix length \(prefix) beyond the previous key")
            }
            if index == 0 && prefix != 0 { throw .invalidNode(cid, "first entry with a prefix") }
            let shared = Int(prefix)
            // Compression must be maximal: the suffix may not start with a byte the previous key shares.
            if index > 0, shared < previousLength, !suffix.isEmpty,
                bytes[suffix.lowerBound] == keys[previousStart + shared]
            {
                throw .invalidNode(cid, "prefix compression not maximal")
            }
            let keyStart = keys.count
            appendKey(shared: shared, suffix: UnsafeRawBufferPointer(rebasing: bytes[suffix]))
            let previousSlash = self.previousSlash
            let checked = keys.withUnsafeBufferPointer { buffer -> (slash: Int?, ordered: Bool) in
                let key = UnsafeBufferPointer(rebasing: buffer[keyStart...])
                // A key sharing the previous key's collection and `/` needs only its new bytes checked.
                let slash =
                    index > 0 && shared > previousSlash
                    ? MSTKey.validatedSlash(bytes: key, sharing: shared, withSlashAt: previousSlash)
                    : MSTKey.validatedSlash(bytes: key)
                let previous = UnsafeBufferPointer(rebasing: buffer[previousStart..<keyStart])
                let ordered = index == 0 || MSTKey.compare(previous, key) < 0
                return (slash, ordered)
            }
            guard let slash = checked.slash else {
                throw .invalidNode(cid, "invalid key \(String(decoding: keys[keyStart...], as: UTF8.self))")
            }
            if !checked.ordered { throw .invalidNode(cid, "keys out of order") }
            let start = blockStart
            // A validated binary CID is at most 4 maximal varints and a 64-byte digest, well under 256 bytes.
            items.append(.stored(
                keyStart: Int32(truncatingIfNeeded: keyStart), keyEnd: Int32(truncatingIfNeeded: keys.count),
                valueOffset: Int32(truncatingIfNeeded: value.lowerBound - start),
                valueLength: UInt8(truncatingIfNeeded: value.count)))
            if let right {
                guard isBlessedDAGCBOR(bytes, right) else { throw .invalidNode(cid, "subtree link not dag-cbor") }
                items.append(.link(offset: Int32(truncatingIfNeeded: right.lowerBound - start)))
                hasRightLink = true
            }
            previousStart = keyStart
            self.previousSlash = slash
            index += 1
        }

        /// Checks the node as a whole (left link, key range, layers) once every entry was added.
        mutating func finish(_ bytes: UnsafeRawBufferPointer, block: EncodedBlock, left: Range<Int>?,
                             expectedLayer: Int?, bounds: Bounds) throws(MSTError) -> Decoded
        {
            guard index == entryCount else { throw .invalidNode(cid, "entry count mismatch") }
            if let left, !isBlessedDAGCBOR(bytes, left) { throw .invalidNode(cid, "subtree link not dag-cbor") }
            if entryCount > 0 { try checkRange(bounds) }

            // Layer: every key's layer must equal the node's; an entry-less node takes the layer its parent expects.
            let layer: Int
            if entryCount > 0 {
                layer = try checkedLayer(expected: expectedLayer)
            } else if let expectedLayer {
                guard left != nil else { throw .invalidNode(cid, "empty non-root node") }
                layer = expectedLayer
            } else {
                guard left == nil else { throw .invalidNode(cid, "root without entries that only points down") }
                return Decoded(layer: 0, items: [], block: block, keys: [])
            }
            guard layer <= maxLayer else { throw .invalidNode(cid, "layer \(layer) over \(maxLayer)") }
            if layer == 0 && (left != nil || hasRightLink) { throw .invalidNode(cid, "subtree below layer 0") }
            if let left { items.insert(.link(offset: Int32(truncatingIfNeeded: left.lowerBound - blockStart)), at: 0) }
            return Decoded(layer: layer, items: items, block: block, keys: keys)
        }

        /// The first key must lie above the parent's lower bound and the last below its upper bound.
        private func checkRange(_ bounds: Bounds) throws(MSTError) {
            let inRange = keys.withUnsafeBufferPointer { buffer -> (aboveLower: Bool, belowUpper: Bool) in
                let first = UnsafeBufferPointer(rebasing: buffer[0..<firstKeyEnd])
                let aboveLower = bounds.lower.map { lower in
                    lower.withUnsafeBufferPointer { MSTKey.compare($0, first) < 0 }
                } ?? true
                let last = UnsafeBufferPointer(rebasing: buffer[previousStart...])
                let belowUpper = bounds.upper.map { upper in
                    upper.withUnsafeBufferPointer { MSTKey.compare(last, $0) < 0 }
                } ?? true
                return (aboveLower, belowUpper)
            }
            if !inRange.aboveLower { throw .invalidNode(cid, "key below the subtree's range") }
            if !inRange.belowUpper { throw .invalidNode(cid, "key above the subtree's range") }
        }

        /// End of the first key in the key buffer (the first item is a stored leaf while assembling).
        private var firstKeyEnd: Int {
            guard case .stored(_, let end, _, _) = items.first else { return 0 }
            return Int(end)
        }

        /// The common layer of the leaves; throws if they differ or the parent expected another. Each key is hashed
        /// once, straight from the key buffer.
        private func checkedLayer(expected: Int?) throws(MSTError) -> Int {
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
            if let mismatch = result.mismatch { throw .invalidNode(cid, mismatch) }
            return result.layer
        }

        /// True when the (already validated) binary CID at `range` is CIDv1 + dag-cbor + sha2-256 with a 32-byte
        /// digest: varints are minimal, so that is exactly 36 bytes starting 01 71 12 20 (`CID.isBlessedDAGCBOR`).
        @inline(__always)
        private func isBlessedDAGCBOR(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
            range.count == 36 && bytes[range.lowerBound] == 0x01 && bytes[range.lowerBound + 1] == 0x71
                && bytes[range.lowerBound + 2] == 0x12 && bytes[range.lowerBound + 3] == 0x20
        }

        /// Appends `keys[previousStart..<previousStart + shared] + suffix`. Both parts go in as buffer appends
        /// (memcpy); the shared part is staged on the stack first, since it is read from the buffer being appended to.
        @inline(__always)
        private mutating func appendKey(shared: Int, suffix: UnsafeRawBufferPointer) {
            if shared > 0 {
                let previousStart = self.previousStart
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: shared) { staged in
                    keys.withUnsafeBufferPointer { buffer in
                        guard let from = buffer.baseAddress, let to = staged.baseAddress else { return }
                        to.initialize(from: from + previousStart, count: shared)
                    }
                    keys.append(contentsOf: UnsafeBufferPointer(staged))
                }
            }
            keys.append(contentsOf: suffix.assumingMemoryBound(to: UInt8.self))
        }
    }
}
