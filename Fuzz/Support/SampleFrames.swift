import ATCrypto
import ATData
import ATRepo
import Firehose

/// Well-formed inputs for the seed corpora: a small repository written with `RepoWriter` and signed by a fixed key
/// (so the commit target can check signatures), its `#commit` frames, and one frame of every other message type.
public enum SampleFrames {
    /// The account whose commits the seeds carry.
    public static let did = "did:plc:fuzzfuzzfuzzfuzzfuzzfuzz"

    /// A fixed k256 (secp256k1) key (the fuzz targets verify against its public half).
    public static func signingKey() throws -> PrivateKey {
        try PrivateKey(rawBytes: [UInt8](repeating: 0x2a, count: 32), curve: .k256)
    }

    /// Commits of a repository that grows, is edited and shrinks: creates, updates, deletes, multi-op batches.
    public static func commits() throws -> [RepoCommitProduct] {
        let key = try signingKey()
        let writer = RepoWriter(did: did) { bytes in (try? key.sign(message: bytes)) ?? [] }
        var products: [RepoCommitProduct] = []
        var clock: UInt64 = 1_700_000_000_000_000
        func nextRev() throws -> String {
            clock += 1_000
            return try TID(microsecondsSinceEpoch: clock, clockID: 7).string
        }
        func record(_ text: String) -> [UInt8] {
            DAGCBOR.encode(.map(DataMap([
                ("$type", .string("app.bsky.feed.post")), ("text", .string(text)),
                ("createdAt", .string("2026-11-25T00:00:00.000Z")),
            ])))
        }
        let paths = (0..<40).map { "app.bsky.feed.post/3kfuzz\(String(1_000 + $0))aa" }
        for batch in stride(from: 0, to: paths.count, by: 5) {
            let writes = paths[batch..<(batch + 5)].map { RepoWrite.create(path: $0, record: record($0)) }
            products.append(try writer.apply(Array(writes), rev: nextRev()))
        }
        products.append(try writer.apply([.update(path: paths[3], record: record("edited"))], rev: nextRev()))
        products.append(try writer.apply([.delete(path: paths[7])], rev: nextRev()))
        products.append(try writer.apply(
            [.delete(path: paths[9]), .update(path: paths[12], record: record("again")),
             .create(path: "app.bsky.feed.like/3kfuzzlike01", record: record("like"))],
            rev: nextRev()))
        return products
    }

    /// The `#commit` message of a product, as the PDS would send it.
    public static func message(_ product: RepoCommitProduct, seq: Int64) -> CommitMessage {
        CommitMessage(
            seq: seq, repo: did, commit: product.commitCID, rev: product.commit.rev, since: product.since,
            blocks: product.blocks, ops: product.ops, prevData: product.prevData, time: "2026-11-25T00:00:00.000Z")
    }

    /// Encoded frames: every sample commit plus one `#sync`, `#identity`, `#account`, `#info` and error frame.
    public static func frames() throws -> [[UInt8]] {
        let products = try commits()
        var frames = products.enumerated().map { index, product in
            FrameEncoder.encode(.commit(message(product, seq: Int64(index + 1))))
        }
        if let last = products.last {
            let commitBlock = CARWriter.encode(
                roots: [last.commitCID], blocks: [(cid: last.commitCID, data: last.commit.signedBytes)])
            frames.append(FrameEncoder.encode(.sync(SyncMessage(
                seq: 100, did: did, blocks: commitBlock, rev: last.commit.rev, time: "2026-11-25T00:00:00.000Z"))))
        }
        frames.append(FrameEncoder.encode(.identity(IdentityMessage(
            seq: 101, did: did, time: "2026-11-25T00:00:00.000Z", handle: "fuzz.example.com"))))
        frames.append(FrameEncoder.encode(.account(AccountMessage(
            seq: 102, did: did, time: "2026-11-25T00:00:00.000Z", active: false, status: "takendown"))))
        frames.append(FrameEncoder.encode(.info(InfoMessage(name: "OutdatedCursor", message: "cursor too old"))))
        frames.append(FrameEncoder.encode(.error(ErrorMessage(error: "FutureCursor", message: "ahead of the log"))))
        return frames
    }

    /// Every frame seed: the sample frames and the real-data `#commit` frames (the frame and commit targets).
    public static func allFrames() throws -> [[UInt8]] { try frames() + realFrames() }

    /// The production `#commit` messages of the real-data samples, re-encoded from their JSON form as frames.
    public static func realFrames() throws -> [[UInt8]] {
        let header = DAGCBOR.encode(.map(DataMap([("op", .integer(1)), ("t", .string("#commit"))])))
        return try FuzzSeeds.sharedFiles(in: "realdata/firehose", suffix: ".json").map { path in
            header + DAGCBOR.encode(try DataValue(json: try FuzzSeeds.shared(path)))
        }
    }
}

extension SampleFrames {
    /// MST inputs: CARs whose first root is a tree root. Full trees (every node; built from the interop example keys
    /// and from the sample repository's exports) and partial ones (a commit diff's proof nodes only).
    public static func mstCARs() throws -> [[UInt8]] {
        var cars: [[UInt8]] = []
        let leaf = CID.compute(of: DAGCBOR.encode(.string("leaf")))
        let keys = try FuzzSeeds.fixtureLines("interop/mst/example_keys.txt").map { Array($0.utf8) }.sorted {
            $0.lexicographicallyPrecedes($1)
        }
        for count in [1, 2, 5, 20, keys.count] {
            var blocks: [CID: [UInt8]] = [:]
            let root = try MST.build(sortedEntries: keys.prefix(count).map { (key: $0, value: leaf) })
                .rootCID(collecting: &blocks)
            cars.append(CARWriter.encode(roots: [root], blocks: blocks.map { (cid: $0.key, data: $0.value) }))
        }
        for product in try commits() {
            let car = try CARFile(product.blocks, limits: .commitDiff)
            cars.append(CARWriter.encode(
                roots: [product.commit.data],
                blocks: car.blocks.filter { $0.cid != product.commitCID }
                    .map { (cid: $0.cid, data: Array(car.bytes[$0.dataRange])) }))
        }
        return cars
    }
}
