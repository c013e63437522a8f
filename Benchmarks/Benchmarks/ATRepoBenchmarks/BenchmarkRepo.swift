import ATData
import ATRepo

/// A 100,000-record repository built with `RepoWriter`, and pools of distinct `#commit`s produced against it.
/// Built once per process (lazily, from the benchmarks' setup hooks); verification only reads it.
struct BenchmarkRepo: Sendable {
    static let recordCount = 100_000
    static let poolSize = 1_000
    static let did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
    static let collections = ["app.bsky.feed.post", "app.bsky.feed.like", "app.bsky.graph.follow"]

    /// The shared instance.
    static let shared = BenchmarkRepo()

    /// One produced commit: the event fields, plus the MST root its commit points to (the inversion starts there).
    struct Sample: Sendable {
        let fields: CommitEventFields
        let data: CID
    }

    /// Pool of 1-op commits (creates, updates, deletes in turn).
    let oneOp: [Sample]
    /// The 1-op pool split by the op's action.
    private let oneOpByAction: [RepoOp.Action: [Sample]]
    /// The 1-op commits whose op is `action`.
    func oneOp(_ action: RepoOp.Action) -> [Sample] { oneOpByAction[action] ?? [] }
    /// Pool of 10-op commits (mixed creates, updates, deletes).
    let tenOp: [Sample]
    /// Every entry of the repository's final tree, sorted (the tree-build input).
    let entries: [(key: [UInt8], value: CID)]

    private init() {
        var random = SplitMix64(state: 0x5EED_0000_0000_0001)
        var revs = RevCounter()
        let writer = RepoWriter(did: BenchmarkRepo.did, sign: BenchmarkRepo.sign)
        var paths: [String] = []
        paths.reserveCapacity(BenchmarkRepo.recordCount + 2 * BenchmarkRepo.poolSize)
        var recordNumber = 0
        func record() -> [UInt8] {
            recordNumber += 1
            return DAGCBOR.encode([
                "$type": "app.bsky.feed.post", "text": .string("benchmark record \(recordNumber)"),
                "createdAt": "2026-11-25T00:00:00.000Z",
            ])
        }
        func newPath() -> String {
            let collection = BenchmarkRepo.collections[Int(random.next() % 3)]
            let rkey = TID(rawValue: random.next() >> 1).string
            paths.append("\(collection)/\(rkey)")
            return paths[paths.count - 1]
        }
        func takePath() -> String {
            let index = Int(random.next() % UInt64(paths.count))
            paths.swapAt(index, paths.count - 1)
            return paths.removeLast()
        }
        func existingPath() -> String { paths[Int(random.next() % UInt64(paths.count))] }
        func apply(_ writes: [RepoWrite]) -> RepoCommitProduct {
            do {
                return try writer.apply(writes, rev: revs.next())
            } catch {
                fatalError("benchmark repo: \(error)")
            }
        }

        // The repository: 100 commits of 1,000 creates.
        for _ in 0..<(BenchmarkRepo.recordCount / 1_000) {
            _ = apply((0..<1_000).map { _ in .create(path: newPath(), record: record()) })
        }
        // The pools: each write picks a different action in turn, so the repo stays near 100,000 records.
        var turn = 0
        func write(avoiding used: inout Set<String>) -> RepoWrite {
            turn += 1
            while true {
                let write: RepoWrite
                switch turn % 3 {
                case 0: write = .create(path: newPath(), record: record())
                case 1: write = .update(path: existingPath(), record: record())
                default: write = .delete(path: takePath())
                }
                if used.insert(write.pathForBenchmark).inserted { return write }
                if case .delete(let path) = write { paths.append(path) }
            }
        }
        func pool(opsPerCommit: Int) -> [Sample] {
            (0..<BenchmarkRepo.poolSize).map { _ in
                var used = Set<String>()
                let writes = (0..<opsPerCommit).map { _ in write(avoiding: &used) }
                return BenchmarkRepo.sample(apply(writes))
            }
        }
        oneOp = pool(opsPerCommit: 1)
        oneOpByAction = Dictionary(grouping: oneOp) { $0.fields.ops.first?.action ?? .create }
        tenOp = pool(opsPerCommit: 10)
        do {
            entries = try writer.tree.entries()
        } catch {
            fatalError("benchmark repo: \(error)")
        }
    }

    private static func sample(_ product: RepoCommitProduct) -> Sample {
        let fields = CommitEventFields(
            repo: did, rev: product.commit.rev, commit: product.commitCID, since: product.since,
            prevData: product.prevData, ops: product.ops, blocks: product.blocks)
        return Sample(fields: fields, data: product.commit.data)
    }

    /// A cheap deterministic 64-byte "signature" (two SHA-256 digests); signatures are benchmarked in ATCrypto.
    static func sign(_ bytes: [UInt8]) -> [UInt8] {
        let first = Array(CID.compute(of: bytes).digest)
        return first + Array(CID.compute(of: first).digest)
    }
}

extension RepoWrite {
    fileprivate var pathForBenchmark: String {
        switch self {
        case .create(let path, _), .update(let path, _), .delete(let path): path
        }
    }
}

/// Deterministic random numbers (SplitMix64), so every run benchmarks the same repository.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Strictly increasing revs (TIDs from a counter).
struct RevCounter {
    private var value: UInt64 = 1 << 60
    mutating func next() -> String {
        value += 1024
        return TID(rawValue: value).string
    }
}
