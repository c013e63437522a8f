import Hummingbird
import Logging
import ServiceLifecycle

/// Runs one Hummingbird application in a task and reports its bound port; `stop()` shuts it down gracefully and
/// waits, so no task outlives the simulator.
final class LoopbackServer: Sendable {
    /// The bound port (the ephemeral one when 0 was asked for).
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    private init(port: Int, group: ServiceGroup, task: Task<Void, Never>) {
        self.port = port
        self.group = group
        self.task = task
    }

    private enum StartEvent: Sendable {
        case group(ServiceGroup)
        case running(Int)
        case failed(SimulatorError)
    }

    /// Starts the application built by `make` (which receives the "running" callback to hand to Hummingbird) and
    /// returns once it listens, or throws if it could not bind.
    static func start<App: ApplicationProtocol>(
        logger: Logger,
        _ make: @escaping @Sendable (_ onRunning: @escaping @Sendable (Int) async -> Void) -> App
    ) async throws(SimulatorError) -> LoopbackServer {
        let (events, continuation) = AsyncStream.makeStream(of: StartEvent.self)
        let task = Task {
            let app = make { port in continuation.yield(.running(port)) }
            let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
            continuation.yield(.group(group))
            do {
                try await group.run()
                continuation.yield(.failed(.serverFailed("server stopped before listening")))
            } catch {
                continuation.yield(.failed(.serverFailed("\(error)")))
            }
            continuation.finish()
        }
        var group: ServiceGroup? = nil
        for await event in events {
            switch event {
            case .group(let created):
                group = created
            case .running(let port):
                guard port > 0, let group else { break }
                return LoopbackServer(port: port, group: group, task: task)
            case .failed(let error):
                task.cancel()
                await task.value
                throw error
            }
        }
        task.cancel()
        await task.value
        throw .serverFailed("server task ended without listening")
    }

    /// Stops accepting connections, lets open ones finish (at most 5 s), and waits for the server task.
    func stop() async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let watchdog = Task {
            try? await Task.sleep(for: .seconds(5))
            task.cancel()
        }
        await task.value
        watchdog.cancel()
    }
}
