extension EventLog {
    /// Deletes what the retention policy no longer keeps, oldest first, in transactions of at most
    /// `deletionsPerTransaction` events; the writer lock is released between them so appends are not stalled.
    /// Also drops time-index entries and takedown marks that only covered deleted events.
    @discardableResult
    public func prune(now: LogTime? = nil, policy: RetentionPolicy? = nil) throws -> PruneReport {
        var report = PruneReport()
        while try pruneStep(now: now, policy: policy, into: &report) {}
        return report
    }

    /// Runs ``prune(now:policy:)`` every `interval` until the task is cancelled or the log is closed, yielding
    /// between transactions. Errors are logged and retried at the next interval.
    public func runRetention(every interval: Duration = .seconds(60)) async {
        while !Task.isCancelled {
            var report = PruneReport()
            do {
                while try pruneStep(now: nil, policy: nil, into: &report), !Task.isCancelled { await Task.yield() }
                if report.deletedEvents > 0 {
                    logger.info("retention deleted \(report.deletedEvents) events, \(report.freedBytes) bytes")
                }
            } catch EventLogError.closed {
                return
            } catch {
                logger.error("retention failed: \(error)")
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    /// One bounded transaction; returns whether more may remain.
    ///
    /// Events are stored in blocks (one per write batch, see ``EventBlock``), so retention removes whole blocks:
    /// a block goes once its newest event is older than the cutoff, or while the log is over its size limit. A
    /// transaction removes at most `deletionsPerTransaction` events (but always at least one block).
    private func pruneStep(now: LogTime?, policy: RetentionPolicy?, into report: inout PruneReport) throws -> Bool {
        let policy = policy ?? configuration.retention
        let now = now ?? configuration.clock()
        let cutoff = policy.maxAge.map { now.adding(.zero - $0) }
        let batch = max(1, policy.deletionsPerTransaction)
        let (deleted, freed, more, oldest) = try withWriterState { lmdb, state, scrub in
            var deleted = 0
            var freed: UInt64 = 0
            var more = false
            var lastDeleted: UInt64?
            let oldest: UInt64? = try lmdb.withCursor(tables.events) { cursor in
                // Always delete at the front, re-seeking each time, so the cursor never has to survive a delete.
                while let (key, value) = try cursor.first() {
                    guard let first = BigEndian.key(key) else { throw EventLogError.corruptRecord("event block key") }
                    let block = try EventBlock.Reader(firstSeq: first, bytes: value)
                    let tooOld = cutoff.map { block.time(block.count - 1) < $0 } ?? false
                    let tooBig = policy.maxBytes.map { state.bytes > $0 } ?? false
                    guard tooOld || tooBig else { return first }
                    guard deleted == 0 || deleted + block.count <= batch else {
                        more = true
                        return first
                    }
                    let size = UInt64(value.count + key.count)
                    let (count, firstTime, lastSeq) = (block.count, block.time(0), block.lastSeq)
                    try cursor.deleteCurrent()
                    try TimeIndex.remove(lmdb, tables: tables, time: firstTime, firstSeq: first)
                    state.bytes = state.bytes >= size ? state.bytes - size : 0
                    state.events = state.events >= UInt64(count) ? state.events - UInt64(count) : 0
                    freed += size
                    deleted += count
                    lastDeleted = lastSeq
                }
                return nil
            }
            guard let lastDeleted else { return (0, UInt64(0), false, oldest) }
            state.prunedThrough = max(state.prunedThrough, lastDeleted)
            for did in scrub.removeMarks(below: oldest ?? state.head + 1) {
                try lmdb.delete(tables.scrub, key: did)
            }
            return (deleted, freed, more, oldest)
        }
        report.deletedEvents += deleted
        report.freedBytes += freed
        report.oldestSeq = oldest
        if deleted > 0 { report.transactions += 1 }
        return more
    }
}
