import ATData
import ATRepo
import AsyncHTTPClient
import Foundation
import NIOCore
import Simulator
import Testing

/// GETs `url` and returns status and body.
func httpGet(_ url: String) async throws -> (status: Int, body: [UInt8]) {
    let request = HTTPClientRequest(url: url)
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    let body = try await response.body.collect(upTo: 64 << 20)
    return (Int(response.status.code), Array(buffer: body))
}

/// GETs `url` and decodes a JSON object.
func jsonGet(_ url: String) async throws -> (status: Int, object: [String: Any]) {
    let (status, body) = try await httpGet(url)
    let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    return (status, object ?? [:])
}

@Suite("Simulated host queries")
struct HostQueryTests {
    @Test("getRepo exports a CAR that RepositoryVerifier accepts with every record")
    func getRepo() async throws {
        try await withNetwork { network in
            let account = try await network.createAccount(on: network.hosts[1], curve: .p256)
            for _ in 0..<30 { try await network.write(account.did, [.post, .like, .follow]) }
            let paths = try await network.recordPaths(account.did)
            #expect(paths.count == 91)
            let host = network.hosts[1]
            let (status, car) = try await httpGet("\(host.url)/xrpc/com.atproto.sync.getRepo?did=\(account.did)")
            #expect(status == 200)
            let result = try RepositoryVerifier.verify(car: car, expectedDID: account.did) {
                $0.isSigned(by: account.signingKey)
            }
            #expect(Set(result.records.map(\.path)) == Set(paths))
            let missing = try await httpGet("\(network.hosts[0].url)/xrpc/com.atproto.sync.getRepo?did=\(account.did)")
            #expect(missing.status == 400)
        }
    }

    @Test("listRepos pages, getRepoStatus, getLatestCommit and describeServer answer per lexicon")
    func queries() async throws {
        try await withNetwork(NetworkConfiguration(hostCount: 1, seed: 11)) { network in
            let created = try await network.populate(accounts: 5)
            let host = network.hosts[0]
            var dids: [String] = []
            var cursor: String? = nil
            var pages = 0
            repeat {
                let query = cursor.map { "&cursor=\($0)" } ?? ""
                let (status, page) = try await jsonGet("\(host.url)/xrpc/com.atproto.sync.listRepos?limit=2\(query)")
                #expect(status == 200)
                let repos = page["repos"] as? [[String: Any]] ?? []
                #expect(repos.allSatisfy { $0["head"] is String && $0["rev"] is String && $0["active"] as? Bool == true })
                dids += repos.compactMap { $0["did"] as? String }
                cursor = page["cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(dids == created.map(\.did))

            let did = created[0].did
            try await network.setStatus(did, active: false, status: "takendown")
            let (_, status) = try await jsonGet("\(host.url)/xrpc/com.atproto.sync.getRepoStatus?did=\(did)")
            #expect(status["active"] as? Bool == false)
            #expect(status["status"] as? String == "takendown")
            #expect(status["rev"] == nil)
            let takendown = try await jsonGet("\(host.url)/xrpc/com.atproto.sync.getLatestCommit?did=\(did)")
            #expect(takendown.object["error"] as? String == "RepoTakendown")

            let live = created[1]
            let (_, latest) = try await jsonGet("\(host.url)/xrpc/com.atproto.sync.getLatestCommit?did=\(live.did)")
            #expect(latest["cid"] as? String == live.commitCID?.string)
            #expect(latest["rev"] as? String == live.rev)
            let unknown = try await jsonGet("\(host.url)/xrpc/com.atproto.sync.getRepoStatus?did=did:plc:zzzzzzzzzzzzzzzzzzzzzzzz")
            #expect(unknown.status == 400)
            #expect(unknown.object["error"] as? String == "RepoNotFound")

            let (_, describe) = try await jsonGet("\(host.url)/xrpc/com.atproto.server.describeServer")
            #expect(describe["did"] as? String == host.serviceDID)
            #expect(describe["availableUserDomains"] as? [String] == [".sim.test"])
            let badCursor = try await httpGet("\(host.url)/xrpc/com.atproto.sync.subscribeRepos?cursor=x")
            #expect(badCursor.status == 400)
        }
    }

    @Test("migration moves the DID document, continues the repo on the new host, deactivates on the old one")
    func migration() async throws {
        try await withNetwork { network in
            let account = try await network.createAccount(on: network.hosts[0], curve: .k256)
            try await network.write(account.did, [.post, .post])
            let before = try #require(await network.account(account.did))
            let outcome = try await network.migrate(account.did, to: network.hosts[1])
            let after = try #require(await network.account(account.did))
            #expect(after.hostIndex == 1)
            #expect(after.signingKey != before.signingKey)
            #expect(outcome.newHostEvents.map { $0.hostIndex } == [1, 1, 1])
            let kinds = outcome.newHostEvents.map { event -> String in
                switch event.frame {
                case .identity: "identity"
                case .account(let message): message.active ? "account-active" : "account-inactive"
                case .commit: "commit"
                default: "other"
                }
            }
            #expect(kinds == ["identity", "account-active", "commit"])
            guard case .account(let old) = outcome.oldHostEvent?.frame else { throw TestFailure("no old #account") }
            #expect(old.active == false && old.status == "deactivated")
            #expect(outcome.oldHostEvent?.hostIndex == 0)

            try await withResolver(network) { resolver in
                let identity = try await resolver.resolve(account.did)
                #expect(identity.pdsEndpoint == network.hosts[1].url)
                let key = try #require(identity.signingKey)
                #expect(key == after.signingKey)
                let commit = try #require(outcome.newHostEvents[2].commit)
                #expect(failure(commit, key: key) == nil)
                #expect(commit.since == before.rev)
                #expect(commit.prevData == before.dataCID)
                let next = try await network.write(account.did, [.like])
                #expect(next.event.hostIndex == 1)
                #expect(failure(try #require(next.event.commit), key: key) == nil)
            }
            let (_, status) = try await jsonGet(
                "\(network.hosts[0].url)/xrpc/com.atproto.sync.getRepoStatus?did=\(account.did)")
            #expect(status["status"] as? String == "deactivated")
            let moved = try await httpGet("\(network.hosts[1].url)/xrpc/com.atproto.sync.getRepo?did=\(account.did)")
            #expect(moved.status == 200)
        }
    }
}

@Suite("Repository growth")
struct RepositoryGrowthTests {
    @Test("a repo grows to thousands of records; every commit verifies and the export holds them all")
    func thousandsOfRecords() async throws {
        try await withNetwork(NetworkConfiguration(hostCount: 1, seed: 21)) { network in
            let account = try await network.createAccount(curve: .k256)
            var previousData = account.dataCID
            for round in 0..<250 {
                let writes: [SimulatedWrite] = (0..<8).map { $0 % 2 == 0 ? .like : .post }
                let outcome = try await network.write(account.did, writes)
                let commit = try #require(outcome.event.commit)
                #expect(commit.prevData == previousData)
                if round % 25 == 0 { #expect(failure(commit, key: account.signingKey) == nil) }
                previousData = try #require(await network.account(account.did)?.dataCID)
            }
            let paths = try await network.recordPaths(account.did)
            #expect(paths.count == 2001)
            let car = try await network.exportRepo(account.did)
            let result = try RepositoryVerifier.verify(car: car, expectedDID: account.did) {
                $0.isSigned(by: account.signingKey)
            }
            #expect(result.records.count == 2001)
        }
    }
}
