import ArgumentParser

/// The `tributary` command-line program.
@main
struct Tributary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary",
        abstract: "An AT Protocol relay: crawls PDS firehoses, verifies every commit, re-emits one firehose.",
        version: TributaryVersion.string,
        subcommands: [Inspect.self]
    )
}

/// The program's version.
enum TributaryVersion {
    static let string = "0.1.0"
}
