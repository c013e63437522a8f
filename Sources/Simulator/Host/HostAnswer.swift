import Foundation
import Synchronization

/// An HTTP answer of a simulated host's XRPC query, built by the network and turned into a response by the route.
struct HostAnswer: Sendable {
    var status: Int
    var contentType: String
    var body: [UInt8]

    /// A JSON object answer with status 200.
    static func json(_ object: [String: Any]) -> HostAnswer {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return HostAnswer(status: 200, contentType: "application/json", body: [UInt8](data))
    }

    /// An XRPC error `{"error": name, "message": message}`.
    static func error(_ status: Int, _ name: String, _ message: String) -> HostAnswer {
        var answer = json(["error": name, "message": message])
        answer.status = status
        return answer
    }

    /// A CAR body.
    static func car(_ bytes: [UInt8]) -> HostAnswer {
        HostAnswer(status: 200, contentType: "application/vnd.ipld.car", body: bytes)
    }
}

/// Where a host's query routes read account data (the network implements it).
protocol HostDataSource: Sendable {
    func listRepos(host: Int, cursor: String?, limit: Int) async -> HostAnswer
    func repoStatus(host: Int, did: String) async -> HostAnswer
    func latestCommit(host: Int, did: String) async -> HostAnswer
    func repo(host: Int, did: String) async -> HostAnswer
    func describeServer(host: Int) async -> HostAnswer
}

/// Holds the data source once the network exists, and drops it at shutdown (the routes then answer 503).
final class HostDataSourceSlot: Sendable {
    private let slot = Mutex<(any HostDataSource)?>(nil)

    var source: (any HostDataSource)? {
        get { slot.withLock { $0 } }
        set { slot.withLock { $0 = newValue } }
    }
}
