import ATData

/// Where an MST finds node blocks by CID (a CAR's blocks, a repository store).
public protocol MSTBlockSource {
    /// The block with `cid`, or nil when it is not available.
    func block(for cid: CID) -> ArraySlice<UInt8>?
    /// The block with `cid` as a range of a buffer the source already holds, so decoding copies nothing.
    func blockInBuffer(for cid: CID) -> EncodedBlock?
}

extension MSTBlockSource {
    /// Sources without a shared buffer copy the block once.
    public func blockInBuffer(for cid: CID) -> EncodedBlock? {
        guard let slice = block(for: cid) else { return nil }
        let buffer = Array(slice)
        return EncodedBlock(buffer: buffer, range: 0..<buffer.count)
    }
}

/// A block's bytes as a range of a larger buffer (a CAR, a store's array), held without copying.
public struct EncodedBlock: Sendable {
    /// The buffer holding the block.
    public let buffer: [UInt8]
    /// Where the block sits in `buffer`.
    public let range: Range<Int>

    /// Wraps `buffer[range]`.
    public init(buffer: [UInt8], range: Range<Int>) {
        self.buffer = buffer
        self.range = range
    }
}

extension Dictionary: MSTBlockSource where Key == CID, Value == ArraySlice<UInt8> {
    public func block(for cid: CID) -> ArraySlice<UInt8>? { self[cid] }
}

extension CARFile: MSTBlockSource {
    public func block(for cid: CID) -> ArraySlice<UInt8>? { blockMap[cid] }

    public func blockInBuffer(for cid: CID) -> EncodedBlock? {
        // Block slices share the CAR's storage; their indices are positions in `bytes`.
        guard let slice = blockMap[cid] else { return nil }
        return EncodedBlock(buffer: bytes, range: slice.indices)
    }
}

/// Wraps a block source and records every CID asked for (to find the blocks an operation needs).
public final class RecordingBlockSource: MSTBlockSource {
    /// The wrapped source.
    public let base: any MSTBlockSource
    /// CIDs requested so far, in order of first request.
    public private(set) var requested: [CID] = []
    private var seen: Set<CID> = []

    /// Wraps `base`.
    public init(_ base: any MSTBlockSource) { self.base = base }

    public func block(for cid: CID) -> ArraySlice<UInt8>? {
        if seen.insert(cid).inserted { requested.append(cid) }
        return base.block(for: cid)
    }

    public func blockInBuffer(for cid: CID) -> EncodedBlock? {
        if seen.insert(cid).inserted { requested.append(cid) }
        return base.blockInBuffer(for: cid)
    }
}
