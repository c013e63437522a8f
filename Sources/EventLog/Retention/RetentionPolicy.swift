/// What retention deletes: events older than ``maxAge`` and, oldest first, events beyond ``maxBytes``.
public struct RetentionPolicy: Sendable, Equatable {
    /// Events received longer ago are deleted; `nil` keeps events regardless of age. 72 hours by default.
    public var maxAge: Duration? = .seconds(72 * 3600)
    /// The log's stored event bytes are kept at or below this; `nil` = no size limit.
    public var maxBytes: UInt64?
    /// Deletions per write transaction, so retention never holds the writer for long.
    public var deletionsPerTransaction: Int = 10_000

    /// A policy (defaults: 72 h, no size limit, 10,000 deletions per transaction).
    public init(maxAge: Duration? = .seconds(72 * 3600), maxBytes: UInt64? = nil, deletionsPerTransaction: Int = 10_000) {
        self.maxAge = maxAge
        self.maxBytes = maxBytes
        self.deletionsPerTransaction = deletionsPerTransaction
    }
}

/// What one retention pass did.
public struct PruneReport: Equatable, Sendable {
    /// Events deleted.
    public var deletedEvents = 0
    /// Stored bytes freed (their pages are reused by LMDB; the file does not shrink).
    public var freedBytes: UInt64 = 0
    /// Write transactions used.
    public var transactions = 0
    /// Oldest retained seq afterwards (`nil` if the log is empty).
    public var oldestSeq: UInt64?
}
