import EventLog
import Firehose
@testable import Simulator

/// What the relay must emit for a set of upstream histories, and what it did emit, in one comparable form: per
/// DID, the ordered list of event identities (kind plus the identifying fields; handles are left out because the
/// relay omits a handle it cannot verify).
struct ExpectedOutput {
    /// Per DID, the identities of the events to emit, in upstream order.
    var perDID: [String: [String]] = [:]
    /// Upstream events read, over all hosts.
    var upstreamCount = 0
    /// Upstream `#sync` events whose rev was not newer than the account's: by rule (docs/ingest.md) ignored, not
    /// emitted.
    var notNewerSyncs = 0
    /// Upstream `#commit` events whose rev was not newer (a fault-free workload must produce none).
    var notNewerCommits = 0
    /// Frames that did not decode or carry no DID (a fault-free workload must produce none).
    var unusable = 0

    /// Events the relay must emit in total.
    var count: Int { perDID.values.reduce(0) { $0 + $1.count } }

    /// Builds the expectation from every host's retained history (from seq 1; the test keeps all of it).
    init(hosts: [SimulatedHost]) throws {
        var lastRev: [String: String] = [:]
        for host in hosts {
            for bytes in try Self.history(of: host) {
                upstreamCount += 1
                guard let frame = try? FrameDecoder.decode(bytes), let did = frame.did else {
                    unusable += 1
                    continue
                }
                switch frame {
                case .commit(let message):
                    if let last = lastRev[did], !(message.rev > last) {
                        notNewerCommits += 1
                        continue
                    }
                    lastRev[did] = message.rev
                case .sync(let message):
                    if let last = lastRev[did], !(message.rev > last) {
                        notNewerSyncs += 1
                        continue
                    }
                    lastRev[did] = message.rev
                default:
                    break
                }
                guard let identity = Self.identity(of: frame) else { continue }
                perDID[did, default: []].append(identity)
            }
        }
    }

    /// The identity compared between upstream and relay output.
    static func identity(of frame: FirehoseFrame) -> String? {
        switch frame {
        case .commit(let message): "#commit \(message.commit.string) rev=\(message.rev)"
        case .sync(let message): "#sync rev=\(message.rev)"
        case .account(let message): "#account active=\(message.active) status=\(message.status ?? "-")"
        case .identity(let message): "#identity \(message.did)"
        case .info, .error, .unknown: nil
        }
    }

    /// The frame bytes a host retains (the payloads of its wire frames), in seq order (seqs must run 1, 2, 3, … —
    /// nothing trimmed).
    static func history(of host: SimulatedHost) throws -> [[UInt8]] {
        guard case .subscribed(let connection) = host.sequencer.open(cursor: 0) else {
            throw TestFailure("cannot read the history of \(host.hostname)")
        }
        defer { host.sequencer.release(connection) }
        guard !connection.outdated, (host.sequencer.oldestSeq ?? 1) == 1 else {
            throw TestFailure("\(host.hostname) trimmed its history; raise historyLimit")
        }
        var frames: [[UInt8]] = []
        var position = connection.start
        while true {
            switch host.sequencer.read(connection, from: position, limit: 1024) {
            case .frames(let batch, let next):
                frames += batch.map { Array(WebSocketWireFrame.payload(of: $0).readableBytesView) }
                position = next
            case .caughtUp:
                return frames
            case .ended, .tooSlow:
                throw TestFailure("the history of \(host.hostname) ended while being read")
            }
        }
    }
}

/// The relay's log, read back after the run: per DID, the identities of the emitted events, in log order.
struct RelayOutput {
    var perDID: [String: [String]] = [:]
    /// Events in the log.
    var count = 0
    /// Problems with the log itself (seq order, undecodable frames, kind/DID disagreeing with the frame).
    var problems: [String] = []

    init(events: [StoredEvent]) {
        var previous: UInt64 = 0
        for event in events {
            count += 1
            if event.seq <= previous { problems.append("seq \(event.seq) after \(previous)") }
            previous = event.seq
            guard let frame = try? FrameDecoder.decode(event.frame), let identity = ExpectedOutput.identity(of: frame)
            else {
                problems.append("seq \(event.seq): frame does not decode to an event")
                continue
            }
            if frame.seq.map(UInt64.init) != event.seq { problems.append("seq \(event.seq): frame says \(frame.seq ?? -1)") }
            if frame.did != event.did { problems.append("seq \(event.seq): stored DID \(event.did) ≠ frame's") }
            if Self.kind(of: frame) != event.kind { problems.append("seq \(event.seq): stored kind \(event.kind) ≠ frame's") }
            perDID[event.did, default: []].append(identity)
        }
    }

    static func kind(of frame: FirehoseFrame) -> EventKind? {
        switch frame {
        case .commit: .commit
        case .sync: .sync
        case .identity: .identity
        case .account: .account
        case .info, .error, .unknown: nil
        }
    }

    /// Human-readable differences from `expected` (empty when equal): per DID, the first diverging position.
    func differences(from expected: ExpectedOutput, limit: Int = 10) -> [String] {
        var lines: [String] = []
        for did in Set(expected.perDID.keys).union(perDID.keys).sorted() {
            let want = expected.perDID[did] ?? []
            let got = perDID[did] ?? []
            guard want != got else { continue }
            let index = (0..<min(want.count, got.count)).first { want[$0] != got[$0] } ?? min(want.count, got.count)
            lines.append("\(did): expected \(want.count) events, relay has \(got.count); first difference at #\(index): "
                + "expected \(index < want.count ? want[index] : "nothing"), got \(index < got.count ? got[index] : "nothing")")
            if lines.count >= limit { break }
        }
        return lines
    }
}
