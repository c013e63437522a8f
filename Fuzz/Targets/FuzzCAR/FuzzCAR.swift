import ATData
import FuzzSupport

// CAR reading (the `blocks` of every #commit and #sync). Invariants: the indexed and the streaming reader agree;
// every block hashes to its CID; writing the parsed roots and blocks back and reading them again gives the same.

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: FuzzArguments) -> CInt {
    FuzzSeeds.writeIfRequested {
        var seeds = try SampleFrames.commits().map(\.blocks)
        seeds.append(try FuzzSeeds.shared("realdata/repos/repo_slice.car"))
        // A real repository cut down to its first blocks (the whole file is larger than a commit diff may be).
        let car = try CARFile(try FuzzSeeds.shared("realdata/repos/fakermaker.repo.car"), limits: .fullRepository)
        seeds.append(CARWriter.encode(
            roots: car.roots,
            blocks: car.blocks.prefix(40).map { (cid: $0.cid, data: Array(car.bytes[$0.dataRange])) }))
        return seeds
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    let indexed = try? CARFile(bytes, limits: .commitDiff)
    var streamed: [CARBlock]? = nil
    if var reader = try? CARReader(bytes, limits: .commitDiff) {
        var blocks: [CARBlock] = []
        while let block = reader.next() { blocks.append(block) }
        if reader.error == nil { streamed = blocks }
    }
    FuzzInput.require((indexed == nil) == (streamed == nil), "CARFile and CARReader disagree on validity")
    guard let indexed, let streamed else { return 0 }
    FuzzInput.require(indexed.blocks.map(\.cid) == streamed.map(\.cid), "CARFile and CARReader list different blocks")
    for block in indexed.blocks {
        let data = Array(bytes[block.dataRange])
        FuzzInput.require(CID.compute(codec: block.cid.codec, of: data) == block.cid,
                          "a block does not hash to its CID")
    }
    let rewritten = CARWriter.encode(
        roots: indexed.roots, blocks: indexed.blocks.map { (cid: $0.cid, data: Array(bytes[$0.dataRange])) })
    let reread = try? CARFile(rewritten, limits: CARLimits(maxTotalBytes: rewritten.count, maxBlocks: 20_000))
    FuzzInput.require(reread?.roots == indexed.roots, "re-written CAR has other roots")
    FuzzInput.require(reread?.blocks.map(\.cid) == indexed.blocks.map(\.cid), "re-written CAR has other blocks")
    return 0
}

@_cdecl("FuzzCAR_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzOneInput)
}
