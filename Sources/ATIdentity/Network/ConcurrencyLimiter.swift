/// A counting semaphore for async code: at most `limit` holders at once, the rest wait in FIFO order.
actor ConcurrencyLimiter {
    private let limit: Int
    private var active = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var nextWaiter = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` while holding one permit.
    func withPermit<T: Sendable>(
        _ body: @Sendable () async throws(IdentityError) -> T
    ) async throws(IdentityError) -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if active < limit {
            active += 1
            return
        }
        // The permit is handed over directly by `release`, so `active` stays unchanged for the waiter.
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if nextWaiter < waiters.count {
            let waiter = waiters[nextWaiter]
            nextWaiter += 1
            if nextWaiter == waiters.count {
                waiters.removeAll(keepingCapacity: true)
                nextWaiter = 0
            }
            waiter.resume()
        } else {
            active -= 1
        }
    }
}
