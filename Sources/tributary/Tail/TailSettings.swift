import ATIdentity
import Firehose

/// Checked settings of one `tributary tail` run (built from the command line by `Tail.settings()`).
struct TailSettings: Sendable {
    /// Verification of `#commit`s against DID documents.
    struct Verification: Sendable, Equatable {
        var plcURL: String = ATIdentity.defaultPLCURL
        /// Lets DID resolution reach loopback/private hosts over http (a local PLC directory, the simulator).
        var allowPrivateHosts = false
    }

    /// The stream, first cursor, shard and stripping.
    var subscription: FirehoseSubscription
    /// `--json` instead of the human line.
    var json = false
    /// Stop after this many events (`nil`: until interrupted).
    var count: Int?
    /// `--verify`, with where to resolve DIDs.
    var verification: Verification?
    /// Reconnect schedule and pings (a person waits at most 30 s between attempts).
    var client = FirehoseClientConfiguration(
        backoff: BackoffPolicy(initial: .seconds(1), maximum: .seconds(30)), userAgent: "tributary-tail")
}

/// A bad command line, with the one-line reason printed before exiting.
struct TailArgumentError: Error, Equatable {
    let reason: String
}
