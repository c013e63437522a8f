import EventLog
import Testing

@testable import Relay

@Suite("Account records ahead of the log")
struct AccountStateCacheTests {
    static func account(_ did: String, rev: String) -> AccountState {
        AccountState(did: did, host: "pds.example.com", rev: rev)
    }

    @Test("a staged record wins; an older commit does not replace a newer staged record")
    func stagedThenCommitted() {
        let cache = AccountStateCache()
        let did = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"
        #expect(cache.account(did) == nil)
        cache.stage(Self.account(did, rev: "1"), token: 1)
        cache.stage(Self.account(did, rev: "2"), token: 2)
        #expect(cache.account(did)?.rev == "2")
        // The first change commits: the second is still queued and stays the answer.
        cache.committed(Self.account(did, rev: "1"), token: 1)
        #expect(cache.account(did)?.rev == "2")
        #expect(cache.counts.staged == 1)
        cache.committed(Self.account(did, rev: "2"), token: 2)
        #expect(cache.account(did)?.rev == "2")
        #expect(cache.counts.staged == 0 && cache.counts.committed == 1)
    }

    @Test("the committed set stays within its capacity; staged records are never dropped")
    func capacity() {
        let cache = AccountStateCache(capacity: 10)
        for index in 0..<25 {
            let did = "did:plc:\(String(repeating: "c", count: 20))\(1000 + index)"
            cache.stage(Self.account(did, rev: "\(index)"), token: UInt64(index))
            cache.committed(Self.account(did, rev: "\(index)"), token: UInt64(index))
            #expect(cache.counts.committed <= 10)
        }
        let pending = (0..<30).map { "did:plc:\(String(repeating: "d", count: 20))\(1000 + $0)" }
        for (index, did) in pending.enumerated() { cache.stage(Self.account(did, rev: "s"), token: UInt64(100 + index)) }
        #expect(pending.allSatisfy { cache.account($0)?.rev == "s" })
        #expect(cache.counts.staged == 30)
    }
}
