import ATData
import EventLog
import Testing

@Suite("Account and host state")
struct StateTests {
    @Test func accountRoundTripAndPaging() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        let commit = CID.compute(of: [1, 2, 3])
        let data = CID.compute(codec: CID.Codec.raw, of: [4, 5])
        let full = AccountState(
            did: "did:plc:full", status: .takendown, upstreamStatus: .deactivated, host: "pds.example.com:2583",
            rev: "3kabcdefghijk", commit: commit, data: data, throttled: true)
        let accounts = [full] + (0..<25).map { AccountState(did: "did:plc:acct\($0 + 10)", host: "h\($0 % 3)") }
        try log.write { txn in for account in accounts { try txn.putAccount(account) } }
        try log.read { txn throws in
            #expect(try txn.account("did:plc:full") == full)
            #expect(try txn.account("did:plc:none") == nil)
            #expect(try txn.accountCount() == 26)
            var pages: [[AccountState]] = []
            var after: String?
            while true {
                let page = try txn.accounts(after: after, limit: 7)
                if page.isEmpty { break }
                pages.append(page)
                after = page.last?.did
            }
            #expect(pages.count == 4)
            #expect(pages.flatMap { $0 }.map(\.did) == accounts.map(\.did).sorted())
            #expect(try txn.accounts(after: "did:plc:acct20", limit: 2).map(\.did) == ["did:plc:acct21", "did:plc:acct22"])
        }
        #expect(full.effectiveStatus == .takendown)
        #expect(AccountState(did: "d", status: .active, upstreamStatus: .deleted, host: "h").effectiveStatus == .deleted)
        try log.write { txn throws in #expect(try txn.deleteAccount("did:plc:full")) }
        #expect(try log.read { try $0.account("did:plc:full") } == nil)
    }

    @Test func eventsAccountsAndHostCursorCommitTogether() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        let host = "pds.example.com"
        try log.write { txn throws in
            try txn.putHost(HostState(hostname: host, status: .active, accountLimit: 500, trusted: false))
        }
        for upstreamSeq in stride(from: UInt64(10), through: 50, by: 10) {
            try log.write { txn throws in
                for offset in 0..<10 {
                    let did = "did:plc:user\(offset)"
                    let seq = try txn.append(kind: .commit, did: did) { testFrame(seq: $0, did: did) }
                    var account = try txn.account(did) ?? AccountState(did: did, host: host)
                    account.rev = "rev\(seq)"
                    try txn.putAccount(account)
                }
                try txn.setHostCursor(host, to: upstreamSeq)
            }
        }
        try log.read { txn throws in
            let state = try txn.host(host)
            #expect(state?.cursor == 50)
            #expect(state?.accountLimit == 500)
            #expect(try txn.eventCount() == 50)
            #expect(try txn.account("did:plc:user9")?.rev == "rev\(try txn.headSeq())")
        }
        // A cursor for an unknown host creates its record.
        try log.write { txn in try txn.setHostCursor("new.example", to: 7) }
        #expect(try log.read { try $0.host("new.example") }?.cursor == 7)
        #expect(try log.read { try $0.host("new.example") }?.status == .active)
    }

    @Test func hostRoundTripAndListing() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        func makeHost(_ index: Int) -> HostState {
            let number = UInt64(index)
            let status: HostStatus = index % 2 == 0 ? .active : .banned
            let lastConnected: LogTime? = index == 4 ? nil : LogTime(microseconds: -Int64(index))
            return HostState(
                hostname: "host\(index).example:\(2000 + index)", status: status, cursor: number * 1000,
                accountLimit: index == 3 ? nil : number, trusted: index == 5, accountCount: number * 3,
                eventCount: number * 99, firstSeen: LogTime(microseconds: Int64(index)), lastConnected: lastConnected)
        }
        let hosts = (0..<12).map(makeHost)
        try log.write { txn in for host in hosts { try txn.putHost(host) } }
        try log.read { txn throws in
            #expect(try txn.hostCount() == 12)
            let first = try txn.hosts(limit: 5)
            let rest = try txn.hosts(after: first.last?.hostname, limit: 100)
            let listed: [HostState] = first + rest
            let expected: [HostState] = hosts.sorted { $0.hostname < $1.hostname }
            #expect(listed == expected)
            #expect(first.count + rest.count == 12)
        }
        try log.write { txn throws in #expect(try txn.deleteHost(hosts[0].hostname)) }
        #expect(try log.read { try $0.hostCount() } == 11)
    }

    @Test func keysOutOfRangeAreRejected() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        #expect(throws: EventLogError.self) {
            try log.write { txn in try txn.putAccount(AccountState(did: "", host: "h")) }
        }
        #expect(throws: EventLogError.self) {
            try log.write { txn in try txn.putHost(HostState(hostname: String(repeating: "h", count: 600))) }
        }
    }
}
