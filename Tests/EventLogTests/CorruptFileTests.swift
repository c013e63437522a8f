import EventLog
import Foundation
import Testing

@Suite("Corrupt and foreign files give clear errors")
struct CorruptFileTests {
    /// Expects opening the log in `dir` to fail with `corruptFile` or `foreignDatabase` whose text mentions
    /// `phrase`.
    func expectRejected(_ dir: TemporaryDirectory, mentioning phrase: String) {
        do {
            let log = try EventLog(testConfiguration(dir))
            log.close()
            Issue.record("the log opened")
        } catch let error {
            switch error {
            case .corruptFile, .foreignDatabase: #expect("\(error)".contains(phrase), "\(error)")
            default: Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func textFile() throws {
        let dir = try TemporaryDirectory()
        try Data(String(repeating: "this is not a database\n", count: 1000).utf8).write(
            to: URL(fileURLWithPath: dir.file(EventLog.fileName)))
        expectRejected(dir, mentioning: "not an LMDB file")
    }

    @Test func shortFile() throws {
        let dir = try TemporaryDirectory()
        try Data([0xde, 0xc0, 0xef, 0xbe]).write(to: URL(fileURLWithPath: dir.file(EventLog.fileName)))
        expectRejected(dir, mentioning: "too short")
    }

    @Test func randomBytes() throws {
        let dir = try TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<65536).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(bytes).write(to: URL(fileURLWithPath: dir.file(EventLog.fileName)))
        expectRejected(dir, mentioning: "not an LMDB file")
    }

    @Test func truncatedLog() throws {
        let dir = try TemporaryDirectory()
        do {
            let log = try EventLog(testConfiguration(dir))
            try appendEvents(log, count: 2000, dids: sampleDIDs, frameSize: 500)
            log.close()
        }
        let path = dir.file(EventLog.fileName)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size > 1_000_000)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(size / 2))
        try handle.close()
        expectRejected(dir, mentioning: "truncated")
    }

    @Test func damagedMetaPages() throws {
        let dir = try TemporaryDirectory()
        do {
            let log = try EventLog(testConfiguration(dir))
            try appendEvents(log, count: 10, dids: sampleDIDs)
            log.close()
        }
        let path = dir.file(EventLog.fileName)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        for index in 16..<24 { bytes[index] = 0xff }  // magic and version of meta page 0
        for index in 4096 + 16..<4096 + 24 { bytes[index] = 0xff }  // and of meta page 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        expectRejected(dir, mentioning: "not an LMDB file")
    }

    @Test func foreignLMDBEnvironment() throws {
        let dir = try TemporaryDirectory()
        do {
            let env = try LMDBEnvironment(path: dir.file(EventLog.fileName))
            try env.write { txn in
                let db = try env.openDatabase("somebody-else", create: true, in: txn)
                try txn.put(db, key: Array("k".utf8), value: Array("v".utf8))
            }
            env.close()
        }
        expectRejected(dir, mentioning: "no table")
    }

    @Test func foreignPlainKeys() throws {
        let dir = try TemporaryDirectory()
        do {
            let env = try LMDBEnvironment(path: dir.file(EventLog.fileName))
            try env.write { txn in
                let main = try env.openDatabase(nil, create: false, in: txn)
                // A plain key that happens to be named like one of our tables.
                try txn.put(main, key: Array("meta".utf8), value: Array("hello".utf8))
            }
            env.close()
        }
        expectRejected(dir, mentioning: "no table")
    }

    @Test func missingFormatMarker() throws {
        let dir = try TemporaryDirectory()
        do {
            let env = try LMDBEnvironment(path: dir.file(EventLog.fileName))
            try env.write { txn in
                for name in ["meta", "events", "time", "accounts", "hosts", "scrub"] {
                    _ = try env.openDatabase(name, create: true, in: txn)
                }
            }
            env.close()
        }
        expectRejected(dir, mentioning: "format marker")
    }

    @Test func newerFormatVersion() throws {
        let dir = try TemporaryDirectory()
        do {
            let log = try EventLog(testConfiguration(dir))
            log.close()
        }
        do {
            let env = try LMDBEnvironment(path: dir.file(EventLog.fileName))
            try env.write { txn in
                let meta = try env.openDatabase("meta", create: false, in: txn)
                try txn.put(meta, key: Array("format".utf8), value: Array("tributary.eventlog".utf8) + [0, 0, 0, 9])
            }
            env.close()
        }
        #expect(throws: EventLogError.unsupportedFormat(found: 9, supported: 1)) {
            try EventLog(testConfiguration(dir))
        }
    }

    @Test func corruptEpochMarker() throws {
        let dir = try TemporaryDirectory()
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: dir.file("epoch-marker")))
        #expect(throws: EventLogError.corruptEpochMarker(path: dir.file("epoch-marker"))) {
            try EventLog(testConfiguration(dir))
        }
    }

    @Test func secondOpenIsRefused() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        #expect(throws: EventLogError.self) { try EventLog(testConfiguration(dir)) }
        log.close()
        let again = try EventLog(testConfiguration(dir))
        #expect(!again.wasCreated)
    }

    @Test func closedLogRefusesWork() throws {
        let dir = try TemporaryDirectory()
        let log = try EventLog(testConfiguration(dir))
        log.close()
        #expect(throws: EventLogError.closed) { try appendEvents(log, count: 1, dids: sampleDIDs) }
        #expect(throws: EventLogError.closed) { try log.read { try $0.headSeq() } }
        log.close()
    }
}
