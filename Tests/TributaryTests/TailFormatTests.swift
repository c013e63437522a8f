import ATData
import ATRepo
import Firehose
import Testing

@testable import tributary

/// Fixed messages of every type, built with the Firehose types.
enum Samples {
    static let did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
    static let commitCID = CID.compute(of: Array("commit".utf8))
    static let recordCID = CID.compute(of: Array("record".utf8))
    static let oldCID = CID.compute(of: Array("old".utf8))
    static let dataCID = CID.compute(of: Array("data".utf8))

    static func commit(ops: [RepoOp], blocks: Int = 1234) -> CommitMessage {
        CommitMessage(
            seq: 1_565_704_557_953_025, repo: did, commit: commitCID, rev: "3l7pzdzrxag2a", since: "3l7pzdzrxag22",
            blocks: [UInt8](repeating: 0, count: blocks), ops: ops, prevData: dataCID,
            time: "2024-10-01T12:00:00.000Z")
    }

    static let threeOps = [
        RepoOp(action: .create, path: "app.bsky.feed.post/3l7pzdzrxag2a", cid: recordCID, prev: nil),
        RepoOp(action: .update, path: "app.bsky.actor.profile/self", cid: recordCID, prev: oldCID),
        RepoOp(action: .delete, path: "app.bsky.feed.like/3l7pzdzrxag2b", cid: nil, prev: oldCID),
    ]
}

@Suite("tail output formatting")
struct TailFormatTests {
    @Test("#commit: the first op, how many more, the blocks size")
    func commitLine() {
        let frame = FirehoseFrame.commit(Samples.commit(ops: Samples.threeOps))
        #expect(TailLine.text(frame) == "1565704557953025 #commit \(Samples.did) rev=3l7pzdzrxag2a "
            + "create app.bsky.feed.post/3l7pzdzrxag2a (+2 more) 1.2 KB")
        let single = FirehoseFrame.commit(Samples.commit(ops: [Samples.threeOps[0]], blocks: 812))
        #expect(TailLine.text(single, check: .verified(.full)) == "1565704557953025 #commit \(Samples.did) "
            + "rev=3l7pzdzrxag2a create app.bsky.feed.post/3l7pzdzrxag2a 812 B verified")
        let empty = FirehoseFrame.commit(Samples.commit(ops: [], blocks: 0))
        #expect(TailLine.text(empty, check: .failed(reason: "bad_signature", detail: nil))
            == "1565704557953025 #commit \(Samples.did) rev=3l7pzdzrxag2a (no ops) 0 B FAILED: bad_signature")
        #expect(TailLine.text(single, check: .verified(.signature))?.hasSuffix(" verified (signature only)") == true)
    }

    @Test("#commit JSON: every field in a fixed order, CIDs as strings, ops with action/path/cid/prev")
    func commitJSON() throws {
        let frame = FirehoseFrame.commit(Samples.commit(ops: Samples.threeOps))
        let line = try #require(TailJSON.line(frame, check: .failed(reason: "inversion_mismatch", detail: "x")))
        let record = Samples.recordCID.string
        let old = Samples.oldCID.string
        #expect(line.text == """
            {"seq":1565704557953025,"type":"#commit","did":"\(Samples.did)","time":"2024-10-01T12:00:00.000Z",\
            "rev":"3l7pzdzrxag2a","since":"3l7pzdzrxag22","commit":"\(Samples.commitCID.string)",\
            "prevData":"\(Samples.dataCID.string)","ops":[\
            {"action":"create","path":"app.bsky.feed.post/3l7pzdzrxag2a","cid":"\(record)","prev":null},\
            {"action":"update","path":"app.bsky.actor.profile/self","cid":"\(record)","prev":"\(old)"},\
            {"action":"delete","path":"app.bsky.feed.like/3l7pzdzrxag2b","cid":null,"prev":"\(old)"}],\
            "blocks":1234,"verified":false,"verifyError":"inversion_mismatch","verifyDetail":"x"}
            """)
        var first = Samples.commit(ops: [], blocks: 10)
        first.since = nil
        first.prevData = nil
        let verified = try #require(TailJSON.line(.commit(first), check: .verified(.signature)))
        #expect(verified.text.contains(#""since":null,"commit":"#))
        #expect(verified.text.contains(#""prevData":null,"ops":[],"blocks":10,"verified":true,"verifyScope":"signature"}"#))
        #expect(TailJSON.line(.commit(first))?.text.contains("verified") == false)
    }

    @Test("#sync, #identity and #account lines and JSON")
    func otherMessages() {
        let time = "2024-10-01T12:00:00.000Z"
        let sync = FirehoseFrame.sync(SyncMessage(seq: 7, did: Samples.did, blocks: [UInt8](repeating: 1, count: 2_500_000),
                                                  rev: "3l7pzdzrxag2a", time: time))
        #expect(TailLine.text(sync) == "7 #sync \(Samples.did) rev=3l7pzdzrxag2a 2.5 MB")
        #expect(TailJSON.line(sync)?.text == """
            {"seq":7,"type":"#sync","did":"\(Samples.did)","time":"\(time)","rev":"3l7pzdzrxag2a","blocks":2500000}
            """)
        let identity = FirehoseFrame.identity(IdentityMessage(seq: 8, did: Samples.did, time: time, handle: "alice.test"))
        #expect(TailLine.text(identity) == "8 #identity \(Samples.did) handle=alice.test")
        #expect(TailJSON.line(identity)?.text == """
            {"seq":8,"type":"#identity","did":"\(Samples.did)","time":"\(time)","handle":"alice.test"}
            """)
        let noHandle = FirehoseFrame.identity(IdentityMessage(seq: 9, did: Samples.did, time: time))
        #expect(TailLine.text(noHandle) == "9 #identity \(Samples.did) handle=-")
        #expect(TailJSON.line(noHandle)?.text.hasSuffix(#""handle":null}"#) == true)
        let account = FirehoseFrame.account(AccountMessage(seq: 10, did: Samples.did, time: time, active: false,
                                                           status: "takendown"))
        #expect(TailLine.text(account) == "10 #account \(Samples.did) active=false status=takendown")
        #expect(TailJSON.line(account)?.text == """
            {"seq":10,"type":"#account","did":"\(Samples.did)","time":"\(time)","active":false,"status":"takendown"}
            """)
        let active = FirehoseFrame.account(AccountMessage(seq: 11, did: Samples.did, time: time, active: true))
        #expect(TailLine.text(active) == "11 #account \(Samples.did) active=true")
        #expect(TailJSON.line(active)?.text.hasSuffix(#""active":true,"status":null}"#) == true)
    }

    @Test("#info, error and unknown frames are not event lines; #info has its own stderr forms")
    func notices() {
        let info = InfoMessage(name: "OutdatedCursor", message: "cursor is before epoch 2")
        #expect(TailLine.text(.info(info)) == nil)
        #expect(TailJSON.line(.info(info)) == nil)
        #expect(TailLine.text(.error(ErrorMessage(error: "ConsumerTooSlow"))) == nil)
        #expect(TailLine.text(.unknown(op: 1, type: "#labels")) == nil)
        #expect(TailLine.info(info) == "#info OutdatedCursor: cursor is before epoch 2")
        #expect(TailJSON.info(info).text
            == ##"{"type":"#info","name":"OutdatedCursor","message":"cursor is before epoch 2"}"##)
        #expect(TailJSON.info(InfoMessage(name: "X")).text == ##"{"type":"#info","name":"X","message":null}"##)
    }

    @Test("network text cannot inject terminal controls or break a JSON line")
    func hostileText() {
        let handle = "evil\u{1B}[2J\nhandle\u{9B}.test"
        let frame = FirehoseFrame.identity(IdentityMessage(seq: 1, did: Samples.did, time: "t", handle: handle))
        #expect(TailLine.text(frame) == "1 #identity \(Samples.did) handle=evil?[2J?handle?.test")
        #expect(TailJSON.line(frame)?.text.contains(#""handle":"evil\u001b[2J\nhandle\#u{9B}.test""#) == true)
        #expect(TailJSON.line(frame)?.text.contains("\n") == false)
        var line = JSONLine()
        line.add("q", .string("a\"b\\c\t\u{0}\u{2028}"))
        #expect(line.text == #"{"q":"a\"b\\c\t\u0000\u2028"}"#)
    }

    @Test("byte counts use decimal units with one decimal")
    func byteCounts() {
        let cases: [(Int, String)] = [
            (0, "0 B"), (999, "999 B"), (1000, "1.0 KB"), (1234, "1.2 KB"), (1250, "1.3 KB"), (999_949, "999.9 KB"),
            (999_950, "1.0 MB"), (2_000_000, "2.0 MB"), (5_049_999, "5.0 MB"),
        ]
        for (count, text) in cases { #expect(ByteCount.text(count) == text, "\(count)") }
        #expect(cases.count == 9)
    }

    @Test("lifecycle notes")
    func lifecycle() {
        #expect(TailLifecycle.note(for: .connecting(url: "ws://h/x", cursor: nil)) == "connecting to ws://h/x")
        #expect(TailLifecycle.note(for: .backoff(delay: .milliseconds(1500), failures: 1))
            == "reconnecting in 1.5 s (attempt 2)")
        #expect(TailLifecycle.note(for: .backoff(delay: .milliseconds(250), failures: 3))
            == "reconnecting in 250 ms (attempt 4)")
        #expect(TailLifecycle.note(for: .disconnected(.closed(code: 1000, reason: "bye"))) == "disconnected: closed (code 1000): bye")
        #expect(TailLifecycle.note(for: .errorFrame(ErrorMessage(error: "ConsumerTooSlow", message: "slow")))
            == "error frame ConsumerTooSlow: slow")
        #expect(TailLifecycle.note(for: .frame(.info(InfoMessage(name: "x")), bytes: [])) == nil)
        #expect(TailLifecycle.futureCursor(ErrorMessage(error: "FutureCursor"), cursor: 99)
            == "FutureCursor: cursor 99 is ahead of the stream; use a lower --cursor, or none for live events")
    }
}
