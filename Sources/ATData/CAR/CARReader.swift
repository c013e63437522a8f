/// One block of a CAR: its CID and where its data sits in the CAR's bytes.
public struct CARBlock: Sendable {
    /// The block's CID (verified against the data).
    public let cid: CID
    /// Range of the block data inside the CAR bytes.
    public let dataRange: Range<Int>
}

/// Streams the blocks of a CAR v1 held in memory, verifying that every block hashes to its CID.
public struct CARReader: Sendable, IteratorProtocol {
    /// The CAR bytes.
    public let bytes: [UInt8]
    /// Header roots (atproto: roots[0] is the commit).
    public let roots: [CID]
    /// Caps in force.
    public let limits: CARLimits
    private var position: Int
    private var blockCount = 0
    /// The first error met by `next()`, which then returns nil; check it after iterating.
    public private(set) var error: CARError?

    /// Parses the header; blocks are read lazily by `next()` / `nextBlock()`.
    public init(_ bytes: [UInt8], limits: CARLimits) throws(CARError) {
        guard bytes.count <= limits.maxTotalBytes else { throw .tooLarge("CAR of \(bytes.count) bytes") }
        self.bytes = bytes
        self.limits = limits
        var offset = 0
        let headerLength = try CARReader.readLength(bytes, offset: &offset)
        guard headerLength > 0 else { throw .invalidHeader("empty header") }
        guard headerLength <= limits.maxHeaderBytes else { throw .tooLarge("header of \(headerLength) bytes") }
        guard headerLength <= bytes.count - offset else { throw .truncated }
        roots = try CARReader.parseHeader(bytes, range: offset..<(offset + headerLength))
        position = offset + headerLength
    }

    /// The next block, nil at the end; throws on any malformed or mismatching block.
    public mutating func nextBlock() throws(CARError) -> CARBlock? {
        guard position < bytes.count else { return nil }
        let length = try CARReader.readLength(bytes, offset: &position)
        guard length <= limits.maxBlockBytes else { throw .tooLarge("block of \(length) bytes") }
        guard length <= bytes.count - position else { throw .truncated }
        blockCount += 1
        guard blockCount <= limits.maxBlocks else { throw .tooLarge("more than \(limits.maxBlocks) blocks") }
        let sectionEnd = position + length
        let start = position
        let parsed: Result<(CID, Int), CIDError> = bytes.withUnsafeBytes { buffer in
            var offset = start
            do throws(CIDError) {
                let cid = try CID.parse(UnsafeRawBufferPointer(rebasing: buffer[..<sectionEnd]), offset: &offset)
                return .success((cid, offset))
            } catch {
                return .failure(error)
            }
        }
        let cid: CID
        switch parsed {
        case .success(let (parsedCID, offset)):
            cid = parsedCID
            position = offset
        case .failure(let error):
            throw .invalidCID(error)
        }
        let dataRange = position..<sectionEnd
        position = sectionEnd
        guard cid.hashCode == CID.sha256Code, cid.byteCount - cid.digestOffset == 32 else { throw .unsupportedHash(cid) }
        let matches = bytes.withUnsafeBytes { cid.matches(buffer: UnsafeRawBufferPointer(rebasing: $0[dataRange])) }
        guard matches else { throw .hashMismatch(cid) }
        return CARBlock(cid: cid, dataRange: dataRange)
    }

    /// IteratorProtocol conformance; stores the error (see `error`) instead of throwing.
    public mutating func next() -> CARBlock? {
        guard error == nil else { return nil }
        do {
            return try nextBlock()
        } catch {
            self.error = error
            return nil
        }
    }

    /// The data of a block read from this CAR.
    public func data(of block: CARBlock) -> ArraySlice<UInt8> { bytes[block.dataRange] }

    static func readLength(_ bytes: [UInt8], offset: inout Int) throws(CARError) -> Int {
        do {
            let value = try bytes.withUnsafeBytes { buffer throws(Varint.DecodeError) in
                try Varint.decode(buffer, offset: &offset)
            }
            guard value <= UInt64(Int32.max) else { throw CARError.tooLarge("section length \(value)") }
            return Int(value)
        } catch let error as CARError {
            throw error
        } catch Varint.DecodeError.truncated {
            throw .truncated
        } catch {
            throw .badVarint
        }
    }

    static func parseHeader(_ bytes: [UInt8], range: Range<Int>) throws(CARError) -> [CID] {
        do {
            var reader = try DAGCBORReader(bytes, range: range)
            let count = try reader.readMapHeader()
            var previous: Range<Int>? = nil
            var roots: [CID]? = nil
            var version: Int64? = nil
            for _ in 0..<count {
                let key = try reader.readMapKey(after: previous)
                previous = key
                if reader.key(key, is: "roots") {
                    let rootCount = try reader.readArrayHeader()
                    var links: [CID] = []
                    for _ in 0..<rootCount { links.append(try reader.readLink()) }
                    roots = links
                } else if reader.key(key, is: "version") {
                    version = try reader.readInteger()
                } else {
                    try reader.skipValue()
                }
            }
            try reader.expectEnd()
            guard version == 1 else { throw CARError.invalidHeader("version must be 1") }
            guard let roots else { throw CARError.invalidHeader("roots missing") }
            return roots
        } catch let error as CARError {
            throw error
        } catch {
            throw .invalidHeader("\(error)")
        }
    }
}
