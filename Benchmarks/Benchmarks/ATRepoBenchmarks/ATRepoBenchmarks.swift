import ATData
import ATRepo
import Benchmark

/// Full Sync 1.1 verification of one `#commit` (CAR parse + hash checks + commit decode + op/tree checks +
/// inversion); the signature is excluded (ATCrypto benchmarks it).
@inline(never)
func verifyCommit(_ sample: BenchmarkRepo.Sample) throws -> VerifiedCommit {
    let verified = try CommitVerifier.verify(sample.fields) { _ in true }
    guard verified.invertedToPrevData else { fatalError("commit was not inverted") }
    return verified
}

/// The MST part alone, from an already-parsed CAR (as `CommitVerifier.verify` has it after its CAR check): load the
/// partial tree (decoding and checking every node it reads), invert the ops, recompute the root.
@inline(never)
func invertCommit(_ sample: BenchmarkRepo.Sample) throws -> CID {
    let tree = try MST(root: sample.data, blocks: sample.car)
    let root = try CommitVerifier.invert(sample.fields.ops, keys: sample.keys, on: tree)
    guard root == sample.fields.prevData else { fatalError("inversion did not reach prevData") }
    return root
}

/// Walks a pool round-robin, so consecutive iterations verify different commits (unchecked Sendable: the harness
/// runs one benchmark's iterations one at a time).
final class PoolCursor: @unchecked Sendable {
    private var index = 0
    func next(_ pool: [BenchmarkRepo.Sample]) -> BenchmarkRepo.Sample {
        index = (index + 1) % pool.count
        return pool[index]
    }
}

let benchmarks: @Sendable () -> Void = {
    // One iteration = one commit, so the wall-clock percentiles are per-commit latencies.
    let perCommit = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 100,
        maxDuration: .seconds(5),
        maxIterations: 1_000_000
    )
    let setup: Benchmark.BenchmarkSetupHook = { _ = BenchmarkRepo.shared }

    let verifyOne = PoolCursor()
    Benchmark("Verify #commit, 1 op, 100k-record repo (full path, no signature)", configuration: perCommit,
              closure: { _ in blackHole(try verifyCommit(verifyOne.next(BenchmarkRepo.shared.oneOp))) },
              setup: setup)
    let verifyTen = PoolCursor()
    Benchmark("Verify #commit, 10 ops, 100k-record repo (full path, no signature)", configuration: perCommit,
              closure: { _ in blackHole(try verifyCommit(verifyTen.next(BenchmarkRepo.shared.tenOp))) },
              setup: setup)
    let invertOne = PoolCursor()
    Benchmark("MST inversion, 1 op, 100k-record repo (parsed blocks)", configuration: perCommit,
              closure: { _ in blackHole(try invertCommit(invertOne.next(BenchmarkRepo.shared.oneOp))) },
              setup: setup)
    // The 1-op pool by kind: inverting a create deletes (and may merge subtrees), an update restores a value, a
    // delete re-inserts (and may split a subtree).
    for action in [RepoOp.Action.create, .update, .delete] {
        let cursor = PoolCursor()
        Benchmark("MST inversion, 1 op (\(action.rawValue) only), 100k-record repo (parsed blocks)",
                  configuration: perCommit,
                  closure: { _ in blackHole(try invertCommit(cursor.next(BenchmarkRepo.shared.oneOp(action)))) },
                  setup: setup)
    }
    let invertTen = PoolCursor()
    Benchmark("MST inversion, 10 ops, 100k-record repo (parsed blocks)", configuration: perCommit,
              closure: { _ in blackHole(try invertCommit(invertTen.next(BenchmarkRepo.shared.tenOp))) },
              setup: setup)

    let build = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(10),
        maxIterations: 100
    )
    Benchmark("MST build + root CID, 100k records", configuration: build,
              closure: { _ in blackHole(try MST.build(sortedEntries: BenchmarkRepo.shared.entries).rootCID()) },
              setup: setup)
}
