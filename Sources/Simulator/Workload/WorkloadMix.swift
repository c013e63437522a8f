/// The random workload's proportions (design: ≈ 70 % creates, 20 % deletes/updates).
public struct WorkloadMix: Sendable, Equatable {
    /// Single-record creates (likes, posts, follows).
    public var creates: Double
    /// Deletes and updates of existing records (3 deletes : 1 update).
    public var deletesAndUpdates: Double
    /// Commits of 2…8 creates.
    public var batches: Double
    /// The rest: `#identity`, `#account` (unchanged status) and `#sync` events.
    public var lifecycle: Double { max(0, 1 - creates - deletesAndUpdates - batches) }

    /// Creates a mix.
    public init(creates: Double = 0.70, deletesAndUpdates: Double = 0.20, batches: Double = 0.08) {
        self.creates = creates
        self.deletesAndUpdates = deletesAndUpdates
        self.batches = batches
    }
}

/// What a workload run emitted.
public struct WorkloadStats: Sendable, Equatable {
    /// Good commits.
    public var commits = 0
    /// Faulted commits, per fault.
    public var faults: [Fault: Int] = [:]
    /// `#identity`, `#account` and `#sync` events.
    public var lifecycleEvents = 0
    /// Steps that could not be performed (e.g. a fault not applicable there).
    public var skipped = 0

    /// All events emitted.
    public var events: Int { commits + faults.values.reduce(0, +) + lifecycleEvents }

    /// Creates empty stats.
    public init() {}

    /// Adds another run's numbers.
    public mutating func add(_ other: WorkloadStats) {
        commits += other.commits
        lifecycleEvents += other.lifecycleEvents
        skipped += other.skipped
        faults.merge(other.faults, uniquingKeysWith: +)
    }
}
