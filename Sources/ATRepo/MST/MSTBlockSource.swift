import ATData

/// Where an MST finds node blocks by CID (a CAR's blocks, a repository store).
public protocol MSTBlockSource {
    /// The block with `cid`, or nil when it is not available.
    func block(for cid: CID) -> ArraySlice<UInt8>?
}

extension Dictionary: MSTBlockSource where Key == CID, Value == ArraySlice<UInt8> {
    public func block(for cid: CID) -> ArraySlice<UInt8>? { self[cid] }
}

extension CARFile: MSTBlockSource {
    public func block(for cid: CID) -> ArraySlice<UInt8>? { blockMap[cid] }
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
}
