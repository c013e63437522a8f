import EventLog
import Foundation
import Synchronization

/// A temporary directory removed when the value is deinitialised.
final class TemporaryDirectory: Sendable {
    let path: String

    init(_ label: String = #function) throws {
        let name = "eventlog-test-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A settable clock for receive times, epochs and retention.
final class TestClock: Sendable {
    private let current: Mutex<LogTime>

    init(_ start: LogTime = LogTime(microseconds: 1_750_000_000_000_000)) { current = Mutex(start) }

    var now: LogTime { current.withLock { $0 } }

    func advance(_ duration: Duration) { current.withLock { $0 = $0.adding(duration) } }

    func set(_ time: LogTime) { current.withLock { $0 = time } }
}

/// Configuration for tests: small map, explicit epoch, a test clock.
func testConfiguration(
    _ directory: TemporaryDirectory, epoch: UInt64? = 1000, clock: TestClock = TestClock(),
    durability: Durability = .batch()
) -> EventLog.Configuration {
    var configuration = EventLog.Configuration(directory: directory.path)
    configuration.epoch = epoch
    configuration.mapSize = 1 << 30
    configuration.durability = durability
    configuration.clock = { clock.now }
    return configuration
}

/// A recognisable frame for an event: it names the seq and DID, padded to `size` bytes.
func testFrame(seq: UInt64, did: String, size: Int = 0) -> [UInt8] {
    var bytes = Array("frame seq=\(seq) did=\(did);".utf8)
    if bytes.count < size { bytes += (0..<(size - bytes.count)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seq)) } }
    return bytes
}

/// Appends `count` events for DIDs drawn from `dids` in one transaction; returns their seqs.
@discardableResult
func appendEvents(
    _ log: EventLog, count: Int, dids: [String], kind: EventKind = .commit, frameSize: Int = 0,
    receivedAt: LogTime? = nil, start: Int = 0
) throws -> [UInt64] {
    try log.write { txn throws in
        try (0..<count).map { index in
            let did = dids[(start + index) % dids.count]
            return try txn.append(kind: kind, did: did, receivedAt: receivedAt) { seq in
                testFrame(seq: seq, did: did, size: frameSize)
            }
        }
    }
}

/// Every event in the log, in order.
func allEvents(_ log: EventLog, shard: ShardFilter? = nil) throws -> [StoredEvent] {
    try log.read { txn in try txn.events(after: 0, limit: .max, shard: shard) }
}

/// DIDs used across tests.
let sampleDIDs = (0..<40).map { "did:plc:sample\($0)abcdefghijklmnop" } + [
    "did:plc:ewvi7nxzyoun6zhxrhs64oiz", "did:web:example.com", "did:plc:44ybard66vv44zksje25o7dz",
]
