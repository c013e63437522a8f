import Foundation
import Synchronization

/// The live subscribers, for the admin API and the lag metric.
public final class SubscriberRegistry: Sendable {
    /// One connected subscriber.
    public struct Subscriber: Sendable, Equatable {
        public let id: Int
        public let remoteAddress: String
        public let parameters: SubscribeParameters
        public let compressed: Bool
        public let connectedAt: Date
        /// Seq of the last event sent (or skipped by its shard filter).
        public var position: UInt64
    }

    private struct State {
        var nextID = 1
        var subscribers: [Int: Subscriber] = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty registry.
    public init() {}

    /// Registers a subscriber and returns its id.
    func add(remoteAddress: String, parameters: SubscribeParameters, compressed: Bool, position: UInt64) -> Int {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = Subscriber(
                id: id, remoteAddress: remoteAddress, parameters: parameters, compressed: compressed,
                connectedAt: Date(), position: position)
            return id
        }
    }

    func update(_ id: Int, position: UInt64) { state.withLock { $0.subscribers[id]?.position = position } }

    func remove(_ id: Int) { state.withLock { _ = $0.subscribers.removeValue(forKey: id) } }

    /// A snapshot, ordered by id.
    public var all: [Subscriber] { state.withLock { $0.subscribers.values.sorted { $0.id < $1.id } } }

    /// Number connected.
    public var count: Int { state.withLock { $0.subscribers.count } }
}
