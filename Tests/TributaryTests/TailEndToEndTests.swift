import ATIdentity
import ATRepo
import Firehose
import Foundation
import Logging
import Simulator
import Testing

@testable import tributary

@Suite("tail against a simulated PDS")
struct TailEndToEndTests {
    let logger = Logger(label: "tail-test")

    @Test("--cursor 0 --count --verify: every event in order; good commits verified, a forged one FAILED")
    func verifiedLines() async throws {
        try await withNetwork { network in
            let account = try await network.createAccount()
            try await network.write(account.did, [.post])
            try await network.write(account.did, [.post], fault: .badSignature)
            try await network.emitIdentity(account.did)
            try await network.write(account.did, [.post])
            let host = network.hosts[0]
            #expect(host.headSeq == 7)
            try await withResolver(network) { resolver in
                let checker = CommitChecker(directory: IdentityDirectory(resolver: resolver), stripped: false)
                let runner = TailRunner(
                    settings: try tailSettings(host, cursor: 0, count: 7), checker: checker, logger: logger)
                let output = CollectingSink()
                let written = try await withDeadline { try await runner.run(output.sink) }
                #expect(written == 7)
                let lines = output.lines
                try #require(lines.count == 7)
                #expect(lines.map { $0.split(separator: " ").first.map(String.init) } == (1...7).map { "\($0)" })
                let did = account.did
                #expect(lines[0] == "1 #identity \(did) handle=\(account.handle)")
                #expect(lines[1] == "2 #account \(did) active=true")
                #expect(lines[2].hasPrefix("3 #commit \(did) rev="))
                #expect(lines[2].contains(" create app.bsky.actor.profile/self "))
                #expect(lines[3].contains(" create app.bsky.feed.post/"))
                // The #identity makes the checker forget the cached document; the next commit resolves it again.
                #expect(lines[5] == "6 #identity \(did) handle=\(account.handle)")
                for index in [2, 3, 6] { #expect(lines[index].hasSuffix(" verified"), "\(lines[index])") }
                #expect(lines[4].hasSuffix(" FAILED: bad_signature"), "\(lines[4])")
                #expect(output.notes.first?.hasPrefix("connecting to \(host.webSocketURL)/xrpc/") == true)
                #expect(output.notes.contains("connected"))
            }
        }
    }

    @Test("--json --verify: one parseable object per event with verified true/false")
    func jsonLines() async throws {
        try await withNetwork(seed: 2) { network in
            let account = try await network.createAccount()
            let good = try await network.write(account.did, [.post, .like])
            try await network.write(account.did, [.post], fault: .badSignature)
            let host = network.hosts[0]
            try await withResolver(network) { resolver in
                let checker = CommitChecker(directory: IdentityDirectory(resolver: resolver), stripped: false)
                let runner = TailRunner(
                    settings: try tailSettings(host, cursor: 2, count: 3, json: true), checker: checker,
                    logger: logger)
                let output = CollectingSink()
                #expect(try await withDeadline { try await runner.run(output.sink) } == 3)
                let objects = try output.lines.map { line in
                    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                }
                try #require(objects.count == 3)
                #expect(objects.map { $0["seq"] as? Int } == [3, 4, 5])
                #expect(objects.map { $0["type"] as? String } == ["#commit", "#commit", "#commit"])
                #expect(objects.map { $0["verified"] as? Bool } == [true, true, false])
                #expect(objects[1]["verifyScope"] as? String == "full")
                #expect(objects[2]["verifyError"] as? String == "bad_signature")
                #expect(objects[1]["did"] as? String == account.did)
                #expect(objects[1]["rev"] as? String == good.rev)
                let ops = try #require(objects[1]["ops"] as? [[String: Any]])
                #expect(ops.count == 2)
                #expect(ops.map { $0["path"] as? String } == good.ops.map(\.path))
                #expect(ops.map { $0["cid"] as? String } == good.ops.map { $0.cid?.string })
                #expect(ops.allSatisfy { $0["action"] as? String == "create" && $0["prev"] is NSNull })
                #expect((objects[1]["blocks"] as? Int ?? 0) > 0)
            }
        }
    }

    @Test("live (no cursor): events written after connecting come out; lifecycle only in notes")
    func live() async throws {
        try await withNetwork(seed: 3) { network in
            let account = try await network.createAccount()
            let host = network.hosts[0]
            let runner = TailRunner(settings: try tailSettings(host, cursor: nil, count: 2), checker: nil, logger: logger)
            let output = CollectingSink()
            let writer = Task {
                while !output.notes.contains("connected") { try await Task.sleep(for: .milliseconds(10)) }
                try await Task.sleep(for: .milliseconds(100))
                try await network.write(account.did, [.post])
                try await network.setStatus(account.did, active: false, status: "deactivated")
            }
            #expect(try await withDeadline { try await runner.run(output.sink) } == 2)
            try await writer.value
            try #require(output.lines.count == 2)
            #expect(output.lines[0].hasPrefix("4 #commit \(account.did) "))
            #expect(output.lines[1] == "5 #account \(account.did) active=false status=deactivated")
            #expect(output.notes.allSatisfy { !$0.contains("#commit") })
        }
    }

    @Test("a cursor ahead of the host ends the run with a FutureCursor reason")
    func futureCursor() async throws {
        try await withNetwork(seed: 4) { network in
            try await network.createAccount()
            let runner = TailRunner(
                settings: try tailSettings(network.hosts[0], cursor: 500, count: 1), checker: nil, logger: logger)
            let output = CollectingSink()
            await #expect(throws: TailFailure.futureCursor(
                "FutureCursor: cursor 500 is ahead of this host's head seq 3; use a lower --cursor, or none for live events"))
            {
                _ = try await withDeadline { try await runner.run(output.sink) }
            }
            #expect(output.lines.isEmpty)
        }
    }
}
