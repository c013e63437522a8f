import Hummingbird
import Logging

/// Runs one Hummingbird application in a task and reports its bound port; `stop()` ends it and waits, so no task
/// outlives the simulator.
final class LoopbackServer: Sendable {
    /// The bound port (the ephemeral one when 0 was asked for).
    let port: Int
    private let task: Task<Void, Never>

    private init(port: Int, task: Task<Void, Never>) {
        self.port = port
        self.task = task
    }

    /// Starts the application built by `make` (which receives the "running" callback to hand to Hummingbird) and
    /// returns once it listens, or throws if it could not bind.
    static func start<App: ApplicationProtocol>(
        _ make: @escaping @Sendable (_ onRunning: @escaping @Sendable (Int) async -> Void) -> App
    ) async throws(SimulatorError) -> LoopbackServer {
        let (events, continuation) = AsyncStream.makeStream(of: Result<Int, SimulatorError>.self)
        let task = Task {
            let app = make { port in continuation.yield(.success(port)) }
            do {
                try await app.runService(gracefulShutdownSignals: [])
                continuation.yield(.failure(.serverFailed("server stopped before listening")))
            } catch {
                continuation.yield(.failure(.serverFailed("\(error)")))
            }
            continuation.finish()
        }
        for await event in events {
            switch event {
            case .success(let port) where port > 0:
                return LoopbackServer(port: port, task: task)
            case .success:
                task.cancel()
                await task.value
                throw .serverFailed("no bound port reported")
            case .failure(let error):
                task.cancel()
                await task.value
                throw error
            }
        }
        throw .serverFailed("server task ended")
    }

    /// Stops the server (graceful shutdown through task cancellation) and waits for it.
    func stop() async {
        task.cancel()
        await task.value
    }
}
