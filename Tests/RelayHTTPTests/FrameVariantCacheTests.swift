import EventLog
import Firehose
import Foundation
import NIOCore
@testable import RelayHTTP
import Testing

/// The shared frame cache against events read from a real LMDB log: hits, the entry bound, the byte budget.
struct FrameVariantCacheTests {
    /// A log in a fresh temporary folder with `count` #identity events, and a closure that closes and removes it.
    static func log(events count: Int) throws -> (EventLog, remove: () -> Void) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tributary-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let log = try EventLog(EventLog.Configuration(directory: directory))
        try SubscribeReposTests.append(log, count: count)
        return (log, {
            log.close()
            try? FileManager.default.removeItem(atPath: directory)
        })
    }

    /// Asks `cache` for every event after `cursor` (up to `limit`); returns the bytes it gave per seq.
    static func request(_ cache: FrameVariantCache, _ log: EventLog, after cursor: UInt64 = 0, limit: Int = .max,
                        variant: FrameVariant = .full) throws -> [(UInt64, [UInt8])]
    {
        try log.read { txn in
            var out: [(UInt64, [UInt8])] = []
            try txn.scan(after: cursor, limit: limit) { view in
                let buffer = cache.frame(for: view, variant: variant)
                out.append((view.seq, Array(buffer.readableBytesView)))
                return true
            }
            return out
        }
    }

    @Test func hitsReuseAndEntriesStayBounded() throws {
        let (log, remove) = try Self.log(events: 100)
        defer { remove() }
        let stored = try log.read { try $0.events(after: 0, limit: 100) }
        let cache = FrameVariantCache(maxEntries: 30)
        let first = try Self.request(cache, log)
        #expect(first.map(\.1) == stored.map(\.frame))
        #expect(cache.producedCount(.full) == 100)
        #expect(cache.count == 30)
        // The newest 30 are hits; older ones are produced again, identical.
        _ = try Self.request(cache, log, after: stored[69].seq)
        #expect(cache.producedCount(.full) == 100)
        let again = try Self.request(cache, log, limit: 10)
        #expect(again.map(\.1) == stored.prefix(10).map(\.frame))
        #expect(cache.producedCount(.full) == 110)
        // Never more than the bound (an old seq sharing a slot with a held one replaces it).
        #expect(cache.count <= 30)
        // A second variant of a held event (the newest) shares its slot.
        let held = cache.count
        let compressed = FrameVariant(stripped: false, compressed: true)
        _ = try Self.request(cache, log, after: stored[8].seq, limit: 1, variant: compressed)
        #expect(cache.producedCount(compressed) == 1)
        #expect(cache.count == held)
        _ = try Self.request(cache, log, after: stored[8].seq, limit: 1)
        #expect(cache.producedCount(.full) == 110)
    }

    @Test func byteBudgetEvictsOldestFirst() throws {
        let (log, remove) = try Self.log(events: 50)
        defer { remove() }
        let frameSize = try log.read { try $0.events(after: 0, limit: 1) }.first?.frame.count ?? 0
        #expect(frameSize > 0)
        // Room for about ten frames.
        let cache = FrameVariantCache(maxEntries: 1_000, maxBytes: frameSize * 10 + frameSize / 2)
        let all = try Self.request(cache, log)
        #expect(cache.count == 10)
        // The last ten stayed: asking for them produces nothing.
        _ = try Self.request(cache, log, after: all[39].0)
        #expect(cache.producedCount(.full) == 50)
        // The one before them was evicted.
        _ = try Self.request(cache, log, after: all[38].0, limit: 1)
        #expect(cache.producedCount(.full) == 51)
    }
}
