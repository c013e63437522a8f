import ATData

/// A reshaping of the `blocks` CAR of an otherwise valid `#commit` or `#sync`, for testing how a relay treats
/// unusual but legal CARs and the size limits (design §7).
///
/// Unlike a `Fault`, a layout does not stop the write: the repository moves as usual, and only the CAR sent on
/// the wire differs. Extra blocks are raw (codec 0x55) and referenced by nothing.
public enum BlockLayout: Sendable, Equatable {
    /// The last block of the CAR appears a second time (CAR v1 allows duplicates; readers keep the first).
    case duplicateBlock
    /// One small raw block that nothing links to is appended.
    case unreferencedBlock
    /// Unreferenced raw blocks bring the CAR to exactly `bytes` bytes (each at most 1,000,000 bytes of data).
    case padded(toBytes: Int)
    /// The block of the first created or updated record is left out (the tree still links to it).
    case withoutRecordBlock

    /// Largest data of one padding block, kept under the CAR reader's per-block cap.
    static let maxPaddingBlock = 1_000_000

    /// `car` reshaped; throws `invalidWrite` when the layout cannot apply (padding below the current size,
    /// no record to leave out).
    func apply(to car: [UInt8], records: [CID]) throws(SimulatorError) -> [UInt8] {
        let file: CARFile
        do {
            file = try CARFile(car, limits: .fullRepository)
        } catch {
            throw .invalidWrite("unreadable CAR: \(error)")
        }
        var blocks = file.blocks.map { (cid: $0.cid, data: Array(file.bytes[$0.dataRange])) }
        switch self {
        case .duplicateBlock:
            guard let last = blocks.last else { throw .invalidWrite("no block to duplicate") }
            blocks.append(last)
        case .unreferencedBlock:
            let data = Array("an unreferenced block".utf8)
            blocks.append((CID.compute(codec: CID.Codec.raw, of: data), data))
        case .padded(let target):
            let current = CARWriter.encode(roots: file.roots, blocks: blocks).count
            for data in try Self.padding(target - current) {
                blocks.append((CID.compute(codec: CID.Codec.raw, of: data), data))
            }
        case .withoutRecordBlock:
            guard let victim = records.first, blocks.contains(where: { $0.cid == victim }) else {
                throw .invalidWrite("no record block to leave out")
            }
            blocks.removeAll { $0.cid == victim }
        }
        return CARWriter.encode(roots: file.roots, blocks: blocks)
    }

    /// Data of raw blocks whose CAR sections add up to exactly `total` bytes.
    static func padding(_ total: Int) throws(SimulatorError) -> [[UInt8]] {
        // A section is varint(36 + n) + 36-byte raw CID + n data bytes; the smallest one (n = 0) takes 37.
        let cidLength = 36
        func section(_ dataLength: Int) -> Int {
            Varint.encodedLength(UInt64(cidLength + dataLength)) + cidLength + dataLength
        }
        guard total == 0 || total >= section(0) else { throw .invalidWrite("cannot pad by \(total) bytes") }
        var left = total
        var result: [[UInt8]] = []
        while left > 0 {
            var length = min(maxPaddingBlock, left - section(0))
            // Shrink until this section fits and leaves either nothing or room for one more minimal section.
            while length > 0, section(length) > left || (left - section(length) > 0 && left - section(length) < section(0)) {
                length -= 1
            }
            guard section(length) <= left else { throw .invalidWrite("cannot pad by \(total) bytes") }
            result.append([UInt8](repeating: UInt8(truncatingIfNeeded: result.count + 1), count: length))
            left -= section(length)
        }
        return result
    }
}
