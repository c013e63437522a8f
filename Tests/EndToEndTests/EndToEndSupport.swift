import Firehose
import Foundation
import Logging
import Relay
import RelayHTTP
import Simulator

/// A test precondition that did not hold.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Quiet logs for the servers under test.
let quietLogger: Logger = {
    var logger = Logger(label: "e2e")
    logger.logLevel = .error
    return logger
}()

/// Starts an embedded relay crawling every host of `network`.
func startRelay(
    _ network: SimulatedNetwork, directory: String? = nil, configure: (inout RelayConfiguration) -> Void = { _ in }
) async throws -> EmbeddedRelay {
    let plc = network.plc
    return try await EmbeddedRelay.start(
        crawl: network.hosts.map(\.hostname), plcURL: network.plcURL, handleBaseURL: { plc.handleBaseURL(for: $0) },
        logger: quietLogger, directory: directory
    ) { configuration in
        configuration.backoff = BackoffPolicy(initial: .milliseconds(50), maximum: .milliseconds(300))
        configure(&configuration)
    }
}

/// Reads frames with a seq from the relay's firehose until `count` arrived (or fails after `seconds`).
func collect(
    port: Int, cursor: Int64?, count: Int, shard: ShardSelection? = nil, stripProofs: Bool = false,
    seconds: Double = 30
) async throws -> [FirehoseFrame] {
    let subscription = try FirehoseSubscription(
        url: "ws://127.0.0.1:\(port)", cursor: cursor, shard: shard, stripProofs: stripProofs)
    let client = FirehoseClient(subscription: subscription, logger: quietLogger)
    return try await withThrowingTaskGroup(of: [FirehoseFrame]?.self) { group in
        group.addTask {
            var frames: [FirehoseFrame] = []
            guard count > 0 else { return frames }
            for await event in client.events() {
                if case .frame(let frame, _) = event, frame.seq != nil {
                    frames.append(frame)
                    if frames.count >= count { break }
                }
            }
            return frames
        }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        guard let first = try await group.next(), let frames = first else {
            group.cancelAll()
            throw TestFailure("fewer than \(count) frames within \(seconds) s")
        }
        group.cancelAll()
        return frames
    }
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass.
func eventually(seconds: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(seconds)
    while clock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

extension FirehoseFrame {
    /// A comparable identity of an event: kind plus what makes it unique for its account.
    var fingerprint: String {
        switch self {
        case .commit(let message): "commit \(message.repo) \(message.rev) \(message.commit)"
        case .sync(let message): "sync \(message.did) \(message.rev)"
        case .identity(let message): "identity \(message.did)"
        case .account(let message): "account \(message.did) \(message.active) \(message.status ?? "-")"
        case .info(let message): "info \(message.name)"
        case .error(let message): "error \(message.error)"
        case .unknown(let op, let type): "unknown \(op) \(type ?? "-")"
        }
    }
}
