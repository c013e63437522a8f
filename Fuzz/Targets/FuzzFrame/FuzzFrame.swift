import ATData
import Firehose
import FuzzSupport

// Event-stream frame decoding (header + body), for every message type. Invariants: the header-only read agrees
// with the full decode; a decoded frame encodes to bytes that decode to an equal frame.

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: FuzzArguments) -> CInt {
    FuzzSeeds.writeIfRequested { try SampleFrames.allFrames() }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    guard let frame = try? FrameDecoder.decode(bytes) else { return 0 }
    FuzzInput.require((try? FrameDecoder.header(of: bytes)) != nil, "header read failed on a frame that decodes")
    if case .unknown = frame { return 0 }  // Unknown types are skipped, not re-emitted.
    let encoded = FrameEncoder.encode(frame)
    let again = try? FrameDecoder.decode(encoded)
    FuzzInput.require(again == frame, "decode(encode(frame)) differs from frame")
    return 0
}

@_cdecl("FuzzFrame_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzOneInput)
}
