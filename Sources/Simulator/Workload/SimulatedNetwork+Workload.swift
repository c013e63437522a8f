import ATCrypto

extension SimulatedNetwork {
    /// Creates `count` accounts spread round-robin over the hosts; a `p256Fraction` of them get P-256 keys, the
    /// rest secp256k1 (chosen by the seeded generator).
    @discardableResult
    public func populate(accounts count: Int, p256Fraction: Double = 0.5) throws -> [SimulatedAccount] {
        var created: [SimulatedAccount] = []
        created.reserveCapacity(count)
        for _ in 0..<count {
            let curve: KeyCurve = Double.random(in: 0..<1, using: &workloadRandom) < p256Fraction ? .p256 : .k256
            created.append(try createAccount(curve: curve))
        }
        return created
    }

    /// Emits `count` random events over the existing accounts (see `WorkloadMix`); with probability `faultRate`
    /// a commit carries one of `faults` instead (chosen uniformly).
    @discardableResult
    public func generate(events count: Int, mix: WorkloadMix = WorkloadMix(), faultRate: Double = 0,
                         faults: [Fault] = Fault.allCases) -> WorkloadStats
    {
        var stats = WorkloadStats()
        let usable = faults.filter { $0 != .wrongHostAuthority || hosts.count > 1 }
        guard !accountOrder.isEmpty, !isShutDown else { return stats }
        for _ in 0..<count {
            let did = accountOrder[Int.random(in: 0..<accountOrder.count, using: &workloadRandom)]
            do {
                if !usable.isEmpty, Double.random(in: 0..<1, using: &workloadRandom) < faultRate {
                    let fault = usable[Int.random(in: 0..<usable.count, using: &workloadRandom)]
                    try write(did, [.post], fault: fault)
                    stats.faults[fault, default: 0] += 1
                } else if try step(did, mix: mix) {
                    stats.commits += 1
                } else {
                    stats.lifecycleEvents += 1
                }
            } catch {
                stats.skipped += 1
            }
        }
        return stats
    }

    /// One ordinary event for `did`; true when it was a commit.
    private func step(_ did: String, mix: WorkloadMix) throws -> Bool {
        let roll = Double.random(in: 0..<1, using: &workloadRandom)
        let paths = try state(did).paths
        if roll < mix.creates || (roll < mix.creates + mix.deletesAndUpdates && paths.isEmpty) {
            try write(did, [randomCreate()])
            return true
        }
        if roll < mix.creates + mix.deletesAndUpdates {
            let path = paths[Int.random(in: 0..<paths.count, using: &workloadRandom)]
            if Int.random(in: 0..<4, using: &workloadRandom) == 0, let content = content(forPath: path) {
                try write(did, [.update(path: path, content)])
            } else {
                try write(did, [.delete(path: path)])
            }
            return true
        }
        if roll < mix.creates + mix.deletesAndUpdates + mix.batches {
            let size = Int.random(in: 2...8, using: &workloadRandom)
            try write(did, (0..<size).map { _ in randomCreate() })
            return true
        }
        switch Int.random(in: 0..<10, using: &workloadRandom) {
        case 0..<4: try emitIdentity(did)
        case 4..<7:
            let account = try state(did)
            try setStatus(did, active: account.active, status: account.status)
        default: try emitSync(did)
        }
        return false
    }

    /// A like (50 %), post (30 %) or follow (20 %).
    private func randomCreate() -> SimulatedWrite {
        switch Int.random(in: 0..<10, using: &workloadRandom) {
        case 0..<5: .like
        case 5..<8: .post
        default: .follow
        }
    }

    private func content(forPath path: String) -> RecordContent? {
        switch path.split(separator: "/").first {
        case "app.bsky.feed.post": .post()
        case "app.bsky.feed.like": .like
        case "app.bsky.graph.follow": .follow
        case "app.bsky.actor.profile": .profile
        default: nil
        }
    }

    /// Emits events at `rate` per second (spread over 10 ms ticks) until the calling task is cancelled or the
    /// network shuts down; returns what it emitted.
    public func runWorkload(rate: Double, mix: WorkloadMix = WorkloadMix(), faultRate: Double = 0,
                            faults: [Fault] = Fault.allCases) async -> WorkloadStats
    {
        var stats = WorkloadStats()
        guard rate > 0 else { return stats }
        let clock = ContinuousClock()
        let start = clock.now
        var emitted = 0
        while !Task.isCancelled, !isShutDown {
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let due = Int(seconds * rate) - emitted
            if due > 0 {
                let batch = min(due, max(1, Int(rate)))
                stats.add(generate(events: batch, mix: mix, faultRate: faultRate, faults: faults))
                emitted += batch
            }
            do {
                try await Task.sleep(for: .milliseconds(10))
            } catch {
                break
            }
        }
        return stats
    }
}
