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
                // Deleting always at the front keeps the cursor logic trivial (a fresh seek per event).
                while let (key, value) = try cursor.first() {
                    guard let seq = BigEndian.key(key), let time = EventRecord.time(in: value) else {
                        throw EventLogError.corruptRecord("event header during retention")
                    }
                    let tooOld = cutoff.map { time < $0 } ?? false
                    let tooBig = policy.maxBytes.map { state.bytes > $0 } ?? false
                    guard tooOld || tooBig else { return seq }
                    guard deleted < batch else {
                        more = true
                        return seq
                    }
                    let size = UInt64(value.count + key.count)
                    try cursor.deleteCurrent()
                    state.bytes = state.bytes >= size ? state.bytes - size : 0
                    freed += size
                    deleted += 1
                    lastDeleted = seq
                }
                return nil
            }
            guard let lastDeleted else { return (0, UInt64(0), false, oldest) }
            state.prunedThrough = max(state.prunedThrough, lastDeleted)
            let boundary = oldest ?? state.head + 1
            try TimeIndex.prune(lmdb, tables: tables, below: boundary)
            for did in scrub.removeMarks(below: boundary) {
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
