import FuzzSupport
import HummingbirdCore
import RelayHTTP

// subscribeRepos query parameters, from the raw query string through Hummingbird's URI parsing, exactly as the route
// reads them. Invariant: accepted parameters written back as a query parse to the same parameters.

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: FuzzArguments) -> CInt {
    FuzzSeeds.writeIfRequested {
        [
            "", "cursor=0", "cursor=12345", "cursor=9007199254740991", "cursor=-1", "cursor=1&cursor=2",
            "shards=4&shard=3", "shards=256&shard=255", "shards=3&shard=0", "shard=1", "stripProofs=true",
            "stripProofs=false&cursor=7", "cursor=%31%32", "shards=2&shard=1&stripProofs=true&cursor=99&other=x",
            "cursor=1e3", "cursor= 1", "stripProofs=TRUE", "shards=0&shard=0",
        ].map { Array($0.utf8) }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let query = String(decoding: FuzzInput.bytes(data, size), as: UTF8.self)
    let uri = URI("/xrpc/com.atproto.sync.subscribeRepos?\(query)")
    guard let parameters = try? SubscribeParameters.parse(uri: uri) else { return 0 }
    var items: [String] = []
    if let cursor = parameters.cursor { items.append("cursor=\(cursor)") }
    if let shard = parameters.shard { items.append("shards=\(shard.count)&shard=\(shard.index)") }
    if parameters.stripProofs { items.append("stripProofs=true") }
    let written = "/xrpc/com.atproto.sync.subscribeRepos?" + items.joined(separator: "&")
    let again = try? SubscribeParameters.parse(uri: URI(written))
    FuzzInput.require(again == parameters, "accepted parameters do not survive being written back: \(items)")
    return 0
}

@_cdecl("FuzzSubscribeParameters_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzOneInput)
}
