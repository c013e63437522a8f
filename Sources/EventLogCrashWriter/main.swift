// Child process of the EventLog crash test: appends batches forever and reports each committed batch on stdout.
//
// Usage: EventLogCrashWriter <directory> <always|batch|periodic> <seed>
// Each batch is one write transaction holding 1…16 events, an account update and the host cursor (= batch id).
// After the commit returns it prints "committed <id>". The test kills it with SIGKILL at random moments and
// checks that every reported batch is in the log exactly once.
import EventLog
import Foundation

/// Deterministic pseudo-random numbers (SplitMix64), so a failing run can be replayed from its seed.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Writes one line to stdout with a single unbuffered write, so a reported line is never half-buffered.
func report(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("EventLogCrashWriter: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let seed = UInt64(arguments[3]) else {
    fail("usage: EventLogCrashWriter <directory> <always|batch|periodic> <seed>")
}
var configuration = EventLog.Configuration(directory: arguments[1])
configuration.epoch = 100
configuration.mapSize = 1 << 32
configuration.retention = RetentionPolicy(maxAge: nil)
switch arguments[2] {
case "always": configuration.durability = .always
case "batch": configuration.durability = .batch()
case "periodic": configuration.durability = .periodic(interval: .milliseconds(50))
default: fail("unknown durability \(arguments[2])")
}

let hostname = "crash.test"
let log: EventLog
do { log = try EventLog(configuration) } catch { fail("open: \(error)") }
var batch: UInt64
do { batch = try log.read { txn in try txn.host(hostname)?.cursor } ?? 0 } catch { fail("read cursor: \(error)") }
var random = SplitMix64(state: seed)
report("ready \(batch)")

while true {
    batch += 1
    let id = batch
    let count = 1 + Int(random.next() % 16)
    do {
        try log.write { txn in
            if id % 200 == 0 { try txn.bumpEpoch() }
            for index in 0..<count {
                let did = "did:plc:crash\(random.next() % 50)"
                // Some frames exceed half a page so overflow pages are exercised too.
                let padding = Int(random.next() % 3000)
                try txn.append(kind: .commit, did: did) { seq in
                    Array("batch=\(id) index=\(index) count=\(count) seq=\(seq) ".utf8)
                        + [UInt8](repeating: UInt8(ascii: "x"), count: padding)
                }
            }
            try txn.putAccount(AccountState(did: "did:plc:crashlast", host: hostname, rev: "\(id)"))
            try txn.setHostCursor(hostname, to: id)
        }
    } catch { fail("write batch \(id): \(error)") }
    report("committed \(id)")
}
