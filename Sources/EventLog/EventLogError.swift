/// Errors from the event log.
public enum EventLogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// liblmdb reported an error.
    case lmdb(LMDBError)
    /// The data file is not an LMDB file, is truncated, or its header is damaged.
    case corruptFile(path: String, reason: String)
    /// The file is a valid LMDB environment but not a Tributary event log (or a damaged one).
    case foreignDatabase(path: String, reason: String)
    /// The log was written by a newer format version.
    case unsupportedFormat(found: UInt32, supported: UInt32)
    /// An epoch at or above 8192 was requested.
    case epochTooLarge(UInt64)
    /// A new log would start at an epoch not above the one the data directory's marker file recorded.
    case epochNotAboveMarker(requested: UInt64, marker: UInt64)
    /// The epoch marker file exists but cannot be parsed.
    case corruptEpochMarker(path: String)
    /// An I/O error outside LMDB (marker file, data directory).
    case io(path: String, reason: String)
    /// A stored record failed to decode.
    case corruptRecord(String)
    /// The per-epoch counter reached 2^40 − 1; bump the epoch.
    case sequenceExhausted(epoch: UInt64)
    /// An argument is out of range (DID too long, bad shard parameters, …).
    case invalidArgument(String)
    /// The log has been closed.
    case closed

    public var description: String {
        switch self {
        case .lmdb(let error): "\(error)"
        case .corruptFile(let path, let reason): "\(path) is not a usable LMDB file: \(reason)"
        case .foreignDatabase(let path, let reason): "\(path) is not a Tributary event log: \(reason)"
        case .unsupportedFormat(let found, let supported):
            "event log format \(found) is newer than this build supports (\(supported))"
        case .epochTooLarge(let epoch): "epoch \(epoch) is not below 8192"
        case .epochNotAboveMarker(let requested, let marker):
            "refusing to create a new log at epoch \(requested): the data directory's epoch marker records epoch "
                + "\(marker) in use before; pass an explicit epoch above \(marker)"
        case .corruptEpochMarker(let path): "epoch marker \(path) is unreadable"
        case .io(let path, let reason): "\(path): \(reason)"
        case .corruptRecord(let what): "corrupt record: \(what)"
        case .sequenceExhausted(let epoch): "epoch \(epoch) has used all 2^40 sequence numbers; bump the epoch"
        case .invalidArgument(let what): what
        case .closed: "the event log is closed"
        }
    }
}
