import ATData
import FuzzSupport

// DAG-CBOR decoding. Invariants: whatever decodes re-encodes to exactly the input (the decoder accepts only the
// canonical form), and the skipping reader the hot paths use accepts exactly what the full decoder accepts.

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: FuzzArguments) -> CInt {
    FuzzSeeds.writeIfRequested {
        // Interop data-model fixtures (JSON → DAG-CBOR), real records, and every block of a real repository.
        var seeds: [[UInt8]] = []
        for file in ["interop/data-model/data-model-valid.json", "interop/data-model/data-model-fixtures.json"] {
            if case .array(let cases) = try DataValue(json: try FuzzSeeds.shared(file)) {
                for entry in cases {
                    seeds.append(DAGCBOR.encode(entry))
                    if case .map(let map) = entry, let data = map["data"] { seeds.append(DAGCBOR.encode(data)) }
                }
            }
        }
        seeds += try FuzzSeeds.sharedFiles(in: "realdata/repos", suffix: ".cbor").map(FuzzSeeds.shared)
        let car = try CARFile(try FuzzSeeds.shared("realdata/repos/greenground.repo.car"), limits: .fullRepository)
        seeds += car.blocks.prefix(300).map { Array(car.bytes[$0.dataRange]) }
        return seeds
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    let decoded = try? DAGCBOR.decode(bytes)
    var skipped = false
    if var reader = try? DAGCBORReader(bytes), (try? reader.skipValue()) != nil, reader.isAtEnd { skipped = true }
    // skipValue validates fully too, so both must accept exactly the same inputs.
    FuzzInput.require(skipped == (decoded != nil), "skipValue and DAGCBOR.decode disagree (skip: \(skipped))")
    guard let decoded else { return 0 }
    FuzzInput.require(DAGCBOR.encode(decoded) == bytes, "re-encoding a decoded item changed its bytes")
    return 0
}

@_cdecl("FuzzDAGCBOR_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzOneInput)
}
