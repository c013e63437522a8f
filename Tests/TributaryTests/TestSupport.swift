import ATIdentity
import Firehose
import Simulator
import Synchronization
import Testing

@testable import tributary

/// A test precondition that did not hold.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Collects what a tail run writes.
final class CollectingSink: Sendable {
    private let state = Mutex<(lines: [String], notes: [String])>(([], []))

    var lines: [String] { state.withLock { $0.lines } }
    var notes: [String] { state.withLock { $0.notes } }

    var sink: TailSink {
        TailSink(
            line: { text in self.state.withLock { $0.lines.append(text) } },
            note: { text in self.state.withLock { $0.notes.append(text) } })
    }
}

/// Starts a one-host network, runs `body`, and always shuts it down.
func withNetwork<T: Sendable>(seed: UInt64 = 1, _ body: (SimulatedNetwork) async throws -> T) async throws -> T {
    let network = try await SimulatedNetwork.start(NetworkConfiguration(hostCount: 1, seed: seed))
    do {
        let result = try await body(network)
        await network.shutdown()
        return result
    } catch {
        await network.shutdown()
        throw error
    }
}

/// A resolver on the network's PLC directory (loopback allowed), shut down after `body`.
func withResolver<T: Sendable>(_ network: SimulatedNetwork, _ body: (IdentityResolver) async throws -> T)
    async throws -> T
{
    let resolver = Tail.resolver(for: .init(plcURL: network.plcURL, allowPrivateHosts: true))
    do {
        let result = try await body(resolver)
        try await resolver.shutdown()
        return result
    } catch {
        try? await resolver.shutdown()
        throw error
    }
}

/// Runs `body`, failing if it takes longer than `seconds`.
func withDeadline<T: Sendable>(seconds: Double = 30, _ body: @escaping @Sendable () async throws -> T) async throws
    -> T
{
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        guard let first = try await group.next(), let value = first else {
            group.cancelAll()
            throw TestFailure("deadline of \(seconds) s passed")
        }
        group.cancelAll()
        return value
    }
}

/// Tail settings for the simulated host, with quick reconnects.
func tailSettings(_ host: SimulatedHost, cursor: Int64?, count: Int?, json: Bool = false) throws -> TailSettings {
    var settings = TailSettings(
        subscription: try FirehoseSubscription(url: host.webSocketURL, cursor: cursor), json: json, count: count)
    settings.client = FirehoseClientConfiguration(
        backoff: BackoffPolicy(initial: .milliseconds(50), maximum: .milliseconds(200), jitter: 0), pingInterval: nil)
    return settings
}
