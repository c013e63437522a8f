import ATData

/// An in-memory block store keyed by CID (repository writer, simulator, tests).
public struct BlockStore: MSTBlockSource, Sendable {
    /// The blocks.
    public private(set) var blocks: [CID: [UInt8]] = [:]

    /// An empty store.
    public init() {}

    /// Adds a block (computing nothing: the caller vouches that `cid` matches).
    public mutating func put(_ cid: CID, _ data: [UInt8]) { blocks[cid] = data }

    /// Adds a DAG-CBOR block and returns its CID.
    @discardableResult
    public mutating func put(_ data: [UInt8]) -> CID {
        let cid = CID.compute(of: data)
        blocks[cid] = data
        return cid
    }

    /// The block with `cid`.
    public subscript(cid: CID) -> [UInt8]? { blocks[cid] }

    public func block(for cid: CID) -> ArraySlice<UInt8>? { blocks[cid].map { $0[...] } }

    public func blockInBuffer(for cid: CID) -> EncodedBlock? {
        blocks[cid].map { EncodedBlock(buffer: $0, range: 0..<$0.count) }
    }
}
