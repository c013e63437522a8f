import ArgumentParser

/// `tributary bench …`: repeatable in-process load benchmarks on loopback.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load benchmarks (everything in-process on 127.0.0.1, data in a temporary folder).",
        subcommands: [BenchServe.self, BenchIngest.self, BenchSoak.self])
}
