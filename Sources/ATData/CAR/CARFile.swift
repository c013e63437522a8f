/// A whole CAR read into memory, every block verified; blocks are addressable by CID.
public struct CARFile: Sendable {
    /// The CAR bytes (block data slices share this storage).
    public let bytes: [UInt8]
    /// Header roots.
    public let roots: [CID]
    /// Blocks in file order (duplicates kept as they appear).
    public let blocks: [CARBlock]
    /// CID → data of the first block with that CID.
    public let blockMap: [CID: ArraySlice<UInt8>]

    /// Reads and verifies every block.
    public init(_ bytes: [UInt8], limits: CARLimits) throws(CARError) {
        var reader = try CARReader(bytes, limits: limits)
        // Sized from the bytes in hand (a block takes a few hundred bytes), so a commit's map is not rehashed as it
        // grows; capped, so a large CAR of few big blocks does not reserve for many small ones (growth then
        // amortises anyway).
        let expectedBlocks = min(limits.maxBlocks, bytes.count / 160 + 4, 1024)
        var blocks: [CARBlock] = []
        blocks.reserveCapacity(expectedBlocks)
        var map: [CID: ArraySlice<UInt8>] = [:]
        map.reserveCapacity(expectedBlocks)
        while let block = try reader.nextBlock() {
            blocks.append(block)
            if map[block.cid] == nil { map[block.cid] = bytes[block.dataRange] }
        }
        self.bytes = bytes
        self.roots = reader.roots
        self.blocks = blocks
        self.blockMap = map
    }

    /// The data of the block with `cid`, if present.
    public subscript(cid: CID) -> ArraySlice<UInt8>? { blockMap[cid] }
}
