import ATIdentity
import FuzzSupport

// DID document parsing (JSON from PLC directories and did:web hosts). Invariant: parsing is deterministic, and
// whatever endpoint it extracts is an origin (no path, query or credentials) that parses to itself again.

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: FuzzArguments) -> CInt {
    FuzzSeeds.writeIfRequested {
        try FuzzSeeds.sharedFiles(in: "realdata/repos", suffix: ".didDoc.json").map { path in
            // The documents name their own DID; the target parses everything as did:plc:fuzz… (see below).
            let text = String(decoding: try FuzzSeeds.shared(path), as: UTF8.self)
            return Array(text.replacingOccurrences(of: documentDID(text), with: fuzzDID).utf8)
        }
    }
    return 0
}

let fuzzDID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"

/// The value of the document's `"id"` field (the seeds are rewritten to the fixed DID).
func documentDID(_ text: String) -> String {
    guard let range = text.range(of: "\"id\"") else { return fuzzDID }
    let rest = text[range.upperBound...]
    guard let open = rest.firstIndex(of: "\""), let close = rest[rest.index(after: open)...].firstIndex(of: "\"")
    else { return fuzzDID }
    return String(rest[rest.index(after: open)..<close])
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    let first = try? DIDDocument.parse(bytes, did: fuzzDID)
    let second = try? DIDDocument.parse(bytes, did: fuzzDID)
    FuzzInput.require(first == second, "parsing the same document twice differs")
    if let endpoint = first?.pdsEndpoint {
        FuzzInput.require(DIDDocument.origin(of: endpoint) == endpoint,
                          "the PDS endpoint is not an origin: \(endpoint)")
    }
    return 0
}

@_cdecl("FuzzDIDDocument_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzOneInput)
}
