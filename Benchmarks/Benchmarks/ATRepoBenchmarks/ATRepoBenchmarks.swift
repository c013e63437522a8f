import ATData
import ATRepo
import Benchmark

/// Full Sync 1.1 verification of one `#commit` (CAR parse + hash checks + commit decode + op/tree checks +
/// inversion); the signature is excluded (ATCrypto benchmarks it).
@inline(never)
func verifyCommit(_ pool: [BenchmarkRepo.Sample], at index: Int) throws -> VerifiedCommit {
    let verified = try CommitVerifier.verify(pool[index].fields) { _ in true }
    guard verified.invertedToPrevData else { fatalError("commit was not inverted") }
    return verified
}

/// The MST part alone, from a just-parsed CAR and op keys (as `CommitVerifier.verify` has them after its CAR and op
/// checks): load the partial tree (decoding and checking every node it reads), invert the ops, recompute the root,
/// free the tree. The CAR is parsed again before the measured part, so its blocks are in cache as they are in the
/// verifier (a pool of 1,000 commits otherwise makes every block a cache miss that verification never sees); the
/// full-path benchmarks above include the parse.
@inline(never)
func invertCommit(_ pool: [BenchmarkRepo.Sample], at index: Int, _ benchmark: Benchmark) throws -> CID {
    let car = try CARFile(pool[index].fields.blocks, limits: .commitDiff)
    let ops = pool[index].fields.ops
    let keys = ops.map { Array($0.path.utf8) }
    let data = pool[index].data
    let prevData = pool[index].fields.prevData
    benchmark.startMeasurement()
    let root = try invertTree(car, data: data, ops: ops, keys: keys)
    benchmark.stopMeasurement()
    guard root == prevData else { fatalError("inversion did not reach prevData") }
    return root
}

/// The measured part of `invertCommit`: the tree lives and dies inside it.
@inline(never)
func invertTree(_ car: CARFile, data: CID, ops: [RepoOp], keys: [[UInt8]]) throws -> CID {
    let tree = try MST(root: data, blocks: car)
    return try CommitVerifier.invert(ops, keys: keys, on: tree)
}

/// Walks a pool round-robin, so consecutive iterations verify different commits (unchecked Sendable: the harness
/// runs one benchmark's iterations one at a time). It hands out positions, not samples: copying a sample out of the
/// pool (a dozen reference counts on cold objects) is not verification work and was ~2 % of an inversion.
final class PoolCursor: @unchecked Sendable {
    private var index = 0
    func next(_ count: Int) -> Int {
        index = (index + 1) % count
        return index
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
              closure: { _ in
                  let pool = BenchmarkRepo.shared.oneOp
                  blackHole(try verifyCommit(pool, at: verifyOne.next(pool.count)))
              },
              setup: setup)
    let verifyTen = PoolCursor()
    Benchmark("Verify #commit, 10 ops, 100k-record repo (full path, no signature)", configuration: perCommit,
              closure: { _ in
                  let pool = BenchmarkRepo.shared.tenOp
                  blackHole(try verifyCommit(pool, at: verifyTen.next(pool.count)))
              },
              setup: setup)
    let invertOne = PoolCursor()
    Benchmark("MST inversion, 1 op, 100k-record repo (parsed blocks)", configuration: perCommit,
              closure: { benchmark in
                  let pool = BenchmarkRepo.shared.oneOp
                  blackHole(try invertCommit(pool, at: invertOne.next(pool.count), benchmark))
              },
              setup: setup)
    // The 1-op pool by kind: inverting a create deletes (and may merge subtrees), an update restores a value, a
    // delete re-inserts (and may split a subtree).
    for action in [RepoOp.Action.create, .update, .delete] {
        let cursor = PoolCursor()
        Benchmark("MST inversion, 1 op (\(action.rawValue) only), 100k-record repo (parsed blocks)",
                  configuration: perCommit,
                  closure: { benchmark in
                      let pool = BenchmarkRepo.shared.oneOp(action)
                      blackHole(try invertCommit(pool, at: cursor.next(pool.count), benchmark))
                  },
                  setup: setup)
    }
    let invertTen = PoolCursor()
    Benchmark("MST inversion, 10 ops, 100k-record repo (parsed blocks)", configuration: perCommit,
              closure: { benchmark in
                  let pool = BenchmarkRepo.shared.tenOp
                  blackHole(try invertCommit(pool, at: invertTen.next(pool.count), benchmark))
              },
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
