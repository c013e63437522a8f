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
    /// Applies `TRIBUTARY_<FLAG>` environment values and the `--config` file, then runs the command line.
    static func main() async {
        let given = Array(CommandLine.arguments.dropFirst())
        let arguments: [String]
        do {
            arguments = try ConfigFileDefaults.apply(to: given, environment: ProcessInfo.processInfo.environment)
        } catch {
            // One line per problem, then EX_CONFIG: nothing is started with a configuration that was not understood.
            let command = given.first.map { "tributary \($0)" } ?? "tributary"
            let text = error.lines.map { "\(command): \($0)\n" }.joined()
            FileHandle.standardError.write(Data(text.utf8))
            Foundation.exit(78)
        }
        await main(arguments)
    }
}

/// The program's version.
enum TributaryVersion {
    static let string = "0.1.0"
}
