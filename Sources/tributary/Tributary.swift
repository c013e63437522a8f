import Foundation
import ArgumentParser

/// The `tributary` command-line program.
@main
struct Tributary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary",
        abstract: "An AT Protocol relay: crawls PDS firehoses, verifies every commit, re-emits one firehose.",
        version: TributaryVersion.string,
        subcommands: [Serve.self, Demo.self, Tail.self, Sim.self, Bench.self, Admin.self, Inspect.self]
    )
}

extension Tributary {
    /// Applies `TRIBUTARY_<FLAG>` environment values, then runs the command line.
    static func main() async {
        let arguments = EnvironmentDefaults.apply(
            to: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        await main(arguments)
    }
}

/// The program's version.
enum TributaryVersion {
    static let string = "0.1.0"
}
