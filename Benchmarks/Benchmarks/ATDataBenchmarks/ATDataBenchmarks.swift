import ATData
import Benchmark
import Foundation

/// Real samples from ../shared/realdata, located from this file's path (Benchmarks/Benchmarks/ATDataBenchmarks/).
enum Samples {
    static let shared = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared").standardizedFileURL

    static func load(_ path: String) -> [UInt8] {
        guard let data = try? Data(contentsOf: shared.appendingPathComponent(path)) else {
            fatalError("benchmark sample missing: \(path) (expected ../shared beside the repository)")
        }
        return [UInt8](data)
    }

    /// The largest real firehose #commit message, re-encoded as its DAG-CBOR body.
    static let commitBody: [UInt8] = {
        let json = load("realdata/firehose/firehose_commit_4621332152.json")
        guard var value = try? DataValue(json: json), case .map(var map) = value else {
            fatalError("cannot parse commit sample")
        }
        map["blobs"] = .array([])  // the sample has null; the lexicon says an array
        value = .map(map)
        return DAGCBOR.encode(value)
    }()

    /// A full MST node (entries + link) taken from a real repository export.
    static let mstNode: [UInt8] = {
        guard let car = try? CARFile(load("realdata/repos/fakermaker.repo.car"), limits: .fullRepository) else {
            fatalError("cannot read repo sample")
        }
        var best: [UInt8] = []
        for block in car.blocks {
            let data = Array(car.bytes[block.dataRange])
            if let node = try? DAGCBOR.decode(data), node["e"] != nil, node["l"] != nil, data.count > best.count {
                best = data
            }
        }
        return best
    }()

    /// A 50-block CAR of record-sized blocks.
    static let car50: [UInt8] = {
        let blocks = (0..<50).map { index -> (cid: CID, data: [UInt8]) in
            let record: DataValue = [
                "$type": "app.bsky.feed.post", "createdAt": "2026-11-25T03:00:00.000Z",
                "text": .string(String(repeating: "firehose benchmark text \(index) ", count: 6)),
            ]
            let data = DAGCBOR.encode(record)
            return (CID.compute(of: data), data)
        }
        return CARWriter.encode(roots: [blocks[0].cid], blocks: blocks)
    }()
}

/// The fast path: read the #commit fields a relay needs without building a tree.
@inline(never)
func readCommitFields(_ body: [UInt8]) throws -> Int {
    var reader = try DAGCBORReader(body)
    let count = try reader.readMapHeader()
    var previous: Range<Int>? = nil
    var touched = 0
    for _ in 0..<count {
        let key = try reader.readMapKey(after: previous)
        previous = key
        if reader.key(key, is: "repo") || reader.key(key, is: "rev") {
            touched += try reader.readTextRange().count
        } else if reader.key(key, is: "seq") {
            touched += Int(try reader.readInteger() & 1)
        } else if reader.key(key, is: "blocks") {
            touched += try reader.readBytesRange().count
        } else if reader.key(key, is: "commit") {
            touched += try reader.readLink().bytes.count
        } else {
            try reader.skipValue()
        }
    }
    try reader.expectEnd()
    return touched
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        maxDuration: .seconds(3),
        maxIterations: 1_000_000
    )
    let commitBody = Samples.commitBody
    let commitValue = (try? DAGCBOR.decode(commitBody)) ?? .null
    let mstNode = Samples.mstNode
    let mstValue = (try? DAGCBOR.decode(mstNode)) ?? .null
    let car50 = Samples.car50

    Benchmark("DAG-CBOR decode tree: #commit body (\(commitBody.count) B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try DAGCBOR.decode(commitBody))
        }
    }
    Benchmark("DAG-CBOR fast-path fields: #commit body (\(commitBody.count) B)", configuration: configuration) {
        benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try readCommitFields(commitBody))
        }
    }
    Benchmark("DAG-CBOR encode: #commit body (\(commitBody.count) B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(DAGCBOR.encode(commitValue))
        }
    }
    Benchmark("DAG-CBOR decode tree: MST node (\(mstNode.count) B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try DAGCBOR.decode(mstNode))
        }
    }
    Benchmark("DAG-CBOR encode: MST node (\(mstNode.count) B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(DAGCBOR.encode(mstValue))
        }
    }
    Benchmark("CAR parse + verify: 50 blocks (\(car50.count) B)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try CARFile(car50, limits: .commitDiff))
        }
    }
}
