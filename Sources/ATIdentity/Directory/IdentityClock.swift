/// The time source of the identity cache; tests inject a manual one instead of sleeping.
public struct IdentityClock: Sendable {
    /// Current monotonic instant.
    public let now: @Sendable () -> ContinuousClock.Instant

    /// A clock reading `now()`.
    public init(now: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.now = now
    }

    /// The process's continuous clock.
    public static let system = IdentityClock { ContinuousClock.now }
}
