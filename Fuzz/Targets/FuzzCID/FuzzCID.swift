import ATData
import FuzzSupport

// CID parsing, binary and string. Invariants: a parsed binary CID re-serializes to the input bytes; a parsed string
// CID round-trips through its canonical string and its bytes to an equal CID.

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: FuzzArguments) -> CInt {
    FuzzSeeds.writeIfRequested {
        var seeds = try (FuzzSeeds.fixtureLines("interop/syntax/cid_syntax_valid.txt")
            + FuzzSeeds.fixtureLines("interop/syntax/cid_syntax_invalid.txt")).map { Array($0.utf8) }
        let car = try CARFile(try FuzzSeeds.shared("realdata/repos/repo_slice.car"), limits: .fullRepository)
        seeds += car.blocks.prefix(50).map(\.cid.bytes)
        seeds.append(CID.compute(codec: CID.Codec.raw, of: [1, 2, 3]).bytes)
        return seeds
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    if let cid = try? CID(bytes: bytes) {
        FuzzInput.require(cid.bytes == bytes, "binary CID re-serialized differently")
        let again = try? CID(string: cid.string)
        FuzzInput.require(again == cid, "binary CID does not round-trip through its string")
    }
    if let text = String(validating: bytes, as: UTF8.self), let cid = try? CID(string: text) {
        FuzzInput.require((try? CID(string: cid.string)) == cid, "string CID does not round-trip")
        FuzzInput.require((try? CID(bytes: cid.bytes)) == cid, "string CID's bytes do not parse back")
    }
    return 0
}

@_cdecl("FuzzCID_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzOneInput)
}
