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
            if let decoded = try scan(data, cid: cid, expectedLayer: expectedLayer, bounds: bounds) { return decoded }
            return try read(data, cid: cid, expectedLayer: expectedLayer, bounds: bounds)
        } catch let error as MSTError {
            throw error
        } catch {
            throw .invalidNode(cid, "DAG-CBOR: \(error)")
        }
    }

    /// The general parser: walks the node with the DAG-CBOR reader, which names what is wrong with a node whose
    /// bytes the scanner gave up on (or decodes one with CIDs outside the scanner's 36-byte form).
    static func read(_ block: EncodedBlock, cid: CID?, expectedLayer: Int?, bounds: Bounds) throws -> Decoded {
        var reader = try DAGCBORReader(block.buffer, range: block.range)
        guard try reader.readMapHeader() == 2 else { throw MSTError.invalidNode(cid, "node must have exactly e and l") }
        let eKey = try reader.readMapKey(after: nil)
        guard reader.key(eKey, is: "e") else { throw MSTError.invalidNode(cid, "node must have exactly e and l") }
        var assembler = try NodeAssembler(cid: cid, block: block, entryCount: try reader.readArrayHeader())
        for _ in 0..<assembler.entryCount {
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
            try block.buffer.withUnsafeBytes { bytes in
                try assembler.add(bytes, suffix: suffix, prefix: prefix, right: right, value: value)
            }
        }
        let lKey = try reader.readMapKey(after: eKey)
        guard reader.key(lKey, is: "l") else { throw MSTError.invalidNode(cid, "node must have exactly e and l") }
        let left = try reader.readOptionalLinkRange()
        try reader.expectEnd()
        return try block.buffer.withUnsafeBytes { bytes in
            try assembler.finish(bytes, block: block, left: left, expectedLayer: expectedLayer, bounds: bounds)
        }
    }
}
