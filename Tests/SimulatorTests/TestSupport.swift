import ATCrypto
import ATData
import ATIdentity
import ATRepo
import Firehose
import Simulator
import Synchronization
import Testing

/// A test precondition that did not hold.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Starts a network, runs `body`, and always shuts it down.
func withNetwork<T: Sendable>(
    _ configuration: NetworkConfiguration = NetworkConfiguration(hostCount: 2, seed: 7),
    _ body: (SimulatedNetwork) async throws -> T
) async throws -> T {
    let network = try await SimulatedNetwork.start(configuration)
    do {
        let result = try await body(network)
        await network.shutdown()
        return result
    } catch {
        await network.shutdown()
        throw error
    }
}

/// A resolver pointed at the network's PLC directory (loopback allowed), shut down after `body`.
func withResolver<T: Sendable>(_ network: SimulatedNetwork, _ body: (IdentityResolver) async throws -> T)
    async throws -> T
{
    let plc = network.plc
    let resolver = IdentityResolver(configuration: ResolverConfiguration(
        plcURL: network.plcURL, allowPrivateHosts: true, handleBaseURL: { plc.handleBaseURL(for: $0) }))
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

/// A firehose client on `host` with quick reconnects.
func client(_ host: SimulatedHost, cursor: Int64?) throws -> FirehoseClient {
    FirehoseClient(
        subscription: try FirehoseSubscription(url: host.webSocketURL, cursor: cursor),
        configuration: FirehoseClientConfiguration(
            backoff: BackoffPolicy(initial: .milliseconds(50), maximum: .milliseconds(200), jitter: 0),
            pingInterval: nil))
}

/// Collects client events from `host` until `done` says so (or the deadline passes).
func collect(_ host: SimulatedHost, cursor: Int64?, seconds: Double = 30,
             until done: @escaping @Sendable ([FirehoseClientEvent]) -> Bool) async throws -> [FirehoseClientEvent]
{
    let subscriber = try client(host, cursor: cursor)
    return try await withDeadline(seconds: seconds) {
        var events: [FirehoseClientEvent] = []
        for await event in subscriber.events() {
            events.append(event)
            if done(events) { break }
        }
        return events
    }
}

/// The decoded frames with a seq among `events`.
func frames(_ events: [FirehoseClientEvent]) -> [FirehoseFrame] {
    events.compactMap { event in
        if case .frame(let frame, _) = event, frame.seq != nil { return frame }
        return nil
    }
}

/// The last seq among `events`.
func lastSeq(_ events: [FirehoseClientEvent]) -> Int64? { frames(events).last?.seq }

/// Verifies a `#commit` with `key`.
func verify(_ message: CommitMessage, key: PublicKey) throws(CommitVerificationFailure) -> VerifiedCommit {
    try CommitVerifier.verify(
        CommitEventFields(repo: message.repo, rev: message.rev, commit: message.commit, since: message.since,
                          prevData: message.prevData, ops: message.ops, blocks: message.blocks),
        signatureCheck: { $0.isSigned(by: key) })
}

/// The failure `verify` throws, or nil if it passes.
func failure(_ message: CommitMessage, key: PublicKey) -> CommitVerificationFailure? {
    do {
        _ = try verify(message, key: key)
        return nil
    } catch {
        return error
    }
}
