import Foundation
import HummingbirdWSClient
import HummingbirdWSCompression
import Logging
import NIOCore
import Synchronization

/// Shared between the connection task and the caller.
final class CollectState: Sendable {
    let messages = Mutex<[[UInt8]]>([])
    let finished = Mutex(false)
}

/// A real WebSocket consumer for tests: connects, collects binary messages until a condition or a timeout.
enum FirehoseTestClient {
    struct Result {
        var messages: [[UInt8]]
        var closedEarly: Bool
    }

    static let logger: Logger = {
        var logger = Logger(label: "firehose-test-client")
        logger.logLevel = .warning
        return logger
    }()

    /// Collects messages until `until(messages)` is true or `timeout` passes.
    static func collect(_ url: String, compressed: Bool = false, timeout: Duration = .seconds(20),
                        onConnected: @escaping @Sendable () async -> Void = {},
                        until: @escaping @Sendable ([[UInt8]]) -> Bool) async throws -> Result
    {
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: 1 << 23, extensions: compressed ? [.perMessageDeflate(maxDecompressedFrameSize: 1 << 23)] : [])
        let state = CollectState()

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) {
                    inbound, _, _ in
                    await onConnected()
                    for try await message in inbound.messages(maxSize: 1 << 23) {
                        guard case .binary(let buffer) = message else { continue }
                        let done = state.messages.withLock { messages in
                            messages.append(Array(buffer.readableBytesView))
                            return until(messages)
                        }
                        if done {
                            state.finished.withLock { $0 = true }
                            return
                        }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
            }
            _ = try await group.next()
            group.cancelAll()
        }
        return Result(messages: state.messages.withLock { $0 }, closedEarly: !state.finished.withLock { $0 })
    }
}
