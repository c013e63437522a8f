import CLMDB
import Foundation

/// Opens or creates the LMDB file of an event log and checks that it really is one.
enum LogOpener {
    struct Opened {
        var env: LMDBEnvironment
        var tables: LogTables
        var state: LogState
        var scrub: ScrubSet
        var created: Bool
    }

    static func open(path: String, configuration: EventLog.Configuration) throws(EventLogError) -> Opened {
        if case .invalid(let reason) = LMDBFileCheck.check(path: path) { throw .corruptFile(path: path, reason: reason) }
        let directory = configuration.directory
        let marker = try EpochMarker.read(directory: directory)
        if let requested = configuration.epoch, requested > Seq.maxEpoch { throw .epochTooLarge(requested) }

        var options = LMDBEnvironment.Options()
        options.mapSize = configuration.mapSize
        options.maxReaders = configuration.maxReaders
        options.maxDatabases = LogTables.names.count + 2
        options.noSync = configuration.durability.usesNoSync
        let env: LMDBEnvironment
        do { env = try LMDBEnvironment(path: path, options: options) } catch {
            if error.isInvalidFile || error.isCorruption { throw .corruptFile(path: path, reason: error.message) }
            throw .lmdb(error)
        }

        let opened: (tables: LogTables, state: LogState, scrub: ScrubSet, created: Bool)
        do {
            opened = try env.write { txn in
                let main = try env.openDatabase(nil, create: false, in: txn)
                if try txn.stat(main).entries == 0 {
                    let epoch = try newEpoch(configuration: configuration, marker: marker)
                    let tables = try openTables(env, txn, create: true, path: path)
                    let state = LogState(
                        epoch: epoch, head: Seq.make(epoch: epoch, counter: 0), bytes: 0,
                        lastTime: LogTime(microseconds: .min), prunedThrough: 0, events: 0)
                    try txn.put(tables.meta, key: LogTables.formatKey, value: LogTables.formatValue)
                    try txn.put(tables.meta, key: LogTables.stateKey, value: state.encoded())
                    return (tables, state, ScrubSet(), true)
                }
                let tables = try openTables(env, txn, create: false, path: path)
                try checkFormat(txn, tables, path: path)
                let state = try LogTables.stateKey.withUnsafeBytes { key in
                    try txn.withValue(tables.meta, key: key) { value throws -> LogState in
                        guard let value else { throw EventLogError.foreignDatabase(path: path, reason: "no log state") }
                        return try LogState(decoding: value)
                    }
                }
                return (tables, state, try ScrubSet.load(txn, tables: tables), false)
            }
        } catch let error as EventLogError {
            env.close()
            throw error
        } catch let error as LMDBError {
            env.close()
            if error.isCorruption { throw .corruptFile(path: path, reason: error.message) }
            throw .lmdb(error)
        } catch {
            env.close()
            throw .io(path: path, reason: "\(error)")
        }

        do {
            if opened.created {
                // The new log must be durable before the marker claims its epoch.
                try env.sync(force: true)
                try EpochMarker.write(directory: directory, epoch: opened.state.epoch)
            } else if marker.map({ $0 < opened.state.epoch }) ?? true {
                try EpochMarker.write(directory: directory, epoch: opened.state.epoch)
            }
        } catch let error as EventLogError {
            env.close()
            throw error
        } catch {
            env.close()
            throw .lmdb(error as? LMDBError ?? LMDBError(code: EIO, operation: "sync"))
        }
        return Opened(env: env, tables: opened.tables, state: opened.state, scrub: opened.scrub, created: opened.created)
    }

    /// The epoch for a new log: explicit, else today's day count; never at or below the marker.
    private static func newEpoch(configuration: EventLog.Configuration, marker: UInt64?) throws(EventLogError)
        -> UInt64
    {
        let epoch = configuration.epoch ?? EpochClock.dayCount(at: configuration.clock())
        guard epoch <= Seq.maxEpoch else { throw .epochTooLarge(epoch) }
        if let marker, epoch <= marker { throw .epochNotAboveMarker(requested: epoch, marker: marker) }
        return epoch
    }

    private static func openTables(_ env: LMDBEnvironment, _ txn: LMDBTransaction, create: Bool, path: String) throws
        -> LogTables
    {
        var handles: [LMDBDatabase] = []
        for name in LogTables.names {
            let result: Result<LMDBDatabase, LMDBError> = Result { () throws(LMDBError) in
                try env.openDatabase(name, create: create, in: txn)
            }
            switch result {
            case .success(let handle): handles.append(handle)
            case .failure(let error) where error.code == MDB_NOTFOUND || error.code == MDB_INCOMPATIBLE:
                throw EventLogError.foreignDatabase(path: path, reason: "it has no table \"\(name)\"")
            case .failure(let error): throw error
            }
        }
        return LogTables(
            meta: handles[0], events: handles[1], time: handles[2], accounts: handles[3], hosts: handles[4],
            scrub: handles[5])
    }

    private static func checkFormat(_ txn: LMDBTransaction, _ tables: LogTables, path: String) throws {
        guard let format = try txn.get(tables.meta, key: LogTables.formatKey),
              format.count == LogTables.formatMagic.count + 4,
              format.starts(with: LogTables.formatMagic)
        else { throw EventLogError.foreignDatabase(path: path, reason: "no Tributary format marker") }
        let version = format.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard version <= LogTables.formatVersion else {
            throw EventLogError.unsupportedFormat(found: version, supported: LogTables.formatVersion)
        }
    }
}
