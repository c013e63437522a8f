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

/// The MST part alone, from an already-parsed block map: load the partial tree, invert the ops, recompute the root.
@inline(never)
func invertCommit(_ sample: BenchmarkRepo.Sample) throws -> CID {
    let tree = try MST(root: sample.data, blocks: sample.blockMap)
    let root = try CommitVerifier.invert(sample.fields.ops, keys: sample.keys, on: tree)
    guard root == sample.fields.prevData else { fatalError("inversion did not reach prevData") }
    return root
}

let benchmarks: @Sendable () -> Void = {
    // Each iteration runs the whole pool of 1,000 distinct commits once; results are scaled to one commit.
    let perCommit = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(5),
        maxIterations: 1_000
    )
    let setup: Benchmark.BenchmarkSetupHook = { _ = BenchmarkRepo.shared }

    Benchmark("Verify #commit, 1 op, 100k-record repo (full path, no signature)", configuration: perCommit,
              closure: { benchmark in
                  let pool = BenchmarkRepo.shared.oneOp
                  for index in benchmark.scaledIterations { blackHole(try verifyCommit(pool[index % pool.count])) }
              }, setup: setup)
    Benchmark("Verify #commit, 10 ops, 100k-record repo (full path, no signature)", configuration: perCommit,
              closure: { benchmark in
                  let pool = BenchmarkRepo.shared.tenOp
                  for index in benchmark.scaledIterations { blackHole(try verifyCommit(pool[index % pool.count])) }
              }, setup: setup)
    Benchmark("MST inversion, 1 op, 100k-record repo (parsed blocks)", configuration: perCommit,
              closure: { benchmark in
                  let pool = BenchmarkRepo.shared.oneOp
                  for index in benchmark.scaledIterations { blackHole(try invertCommit(pool[index % pool.count])) }
              }, setup: setup)
    Benchmark("MST inversion, 10 ops, 100k-record repo (parsed blocks)", configuration: perCommit,
              closure: { benchmark in
                  let pool = BenchmarkRepo.shared.tenOp
                  for index in benchmark.scaledIterations { blackHole(try invertCommit(pool[index % pool.count])) }
              }, setup: setup)

    let build = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        maxDuration: .seconds(10),
        maxIterations: 50
    )
    Benchmark("MST build + root CID, 100k records", configuration: build,
              closure: { benchmark in
                  let entries = BenchmarkRepo.shared.entries
                  for _ in benchmark.scaledIterations {
                      blackHole(try MST.build(sortedEntries: entries).rootCID())
                  }
              }, setup: setup)
}
