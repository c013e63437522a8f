import Synchronization

/// Caps concurrent subscriber connections per client address.
public final class ConnectionLimiter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    /// Most connections one address may hold.
    public let maxPerAddress: Int

    /// Creates a limiter.
    public init(maxPerAddress: Int) { self.maxPerAddress = maxPerAddress }

    /// True when `address` may open another connection (a check only; `acquire` takes the slot).
    public func allows(_ address: String) -> Bool { counts.withLock { ($0[address] ?? 0) < maxPerAddress } }

    /// Takes a slot for `address`; false when it is at its cap.
    public func acquire(_ address: String) -> Bool {
        counts.withLock { counts in
            let current = counts[address] ?? 0
            guard current < maxPerAddress else { return false }
            counts[address] = current + 1
            return true
        }
    }

    /// Returns a slot.
    public func release(_ address: String) {
        counts.withLock { counts in
            let remaining = (counts[address] ?? 1) - 1
            counts[address] = remaining > 0 ? remaining : nil
        }
    }

    /// Connections currently held by `address`.
    public func count(_ address: String) -> Int { counts.withLock { $0[address] ?? 0 } }
}
