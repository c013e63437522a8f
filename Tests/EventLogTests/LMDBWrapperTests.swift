import CLMDB
import Foundation
import EventLog
import Testing

@Suite("LMDB wrapper")
struct LMDBWrapperTests {
    @Test func putGetCursorDelete() throws {
        let dir = try TemporaryDirectory()
        var options = LMDBEnvironment.Options()
        options.mapSize = 1 << 26
        let env = try LMDBEnvironment(path: dir.file("test.mdb"), options: options)
        defer { env.close() }
        let db = try env.write { txn in try env.openDatabase("t", create: true, in: txn) }
        try env.write { txn in
            for index in 0..<100 {
                try txn.put(db, key: [UInt8(index)], value: Array("value \(index)".utf8))
            }
        }
        try env.read { txn in
            #expect(try txn.get(db, key: [UInt8(42)]) == Array("value 42".utf8))
            #expect(try txn.get(db, key: [UInt8(200)]) == nil)
            #expect(try txn.stat(db).entries == 100)
            try txn.withCursor(db) { cursor throws in
                #expect(try cursor.first()?.key.first == 0)
                #expect(try cursor.last()?.key.first == 99)
                #expect(try cursor.seek(atOrAfter: [UInt8(50)])?.key.first == 50)
                #expect(try cursor.next()?.key.first == 51)
                #expect(try cursor.previous()?.key.first == 50)
                #expect(try cursor.seek(atOrAfter: [UInt8(100)]) == nil)
            }
            // Zero-copy access inside the transaction.
            let length = try [UInt8(7)].withUnsafeBytes { key in try txn.withValue(db, key: key) { $0?.count } }
            #expect(length == 7)
        }
        // Deleting through a cursor from the front, re-seeking each time.
        try env.write { txn in
            try txn.withCursor(db) { cursor throws in
                for _ in 0..<10 {
                    _ = try cursor.first()
                    try cursor.deleteCurrent()
                }
            }
            #expect(try txn.delete(db, key: [UInt8(99)]))
            #expect(try !txn.delete(db, key: [UInt8(99)]))
        }
        try env.read { txn in
            #expect(try txn.stat(db).entries == 89)
            try txn.withCursor(db) { cursor throws in #expect(try cursor.first()?.key.first == 10) }
        }
    }

    @Test func typedErrors() throws {
        let dir = try TemporaryDirectory()
        let env = try LMDBEnvironment(path: dir.file("test.mdb"))
        defer { env.close() }
        let db = try env.write { txn in try env.openDatabase("t", create: true, in: txn) }
        // Writing in a read transaction fails with EACCES from LMDB, as a typed error.
        do {
            try env.read { txn in try txn.put(db, key: [1], value: [2]) }
            Issue.record("write in a read transaction succeeded")
        } catch let error as LMDBError {
            #expect(error.code == EACCES)
            #expect(error.operation.contains("mdb_put"))
            #expect(!error.message.isEmpty)
        }
        try env.write { txn in try txn.put(db, key: [1], value: [2]) }
        #expect(throws: LMDBError.self) {
            try env.write { txn in try txn.put(db, key: [1], value: [3], flags: .noOverwrite) }
        }
        do {
            try env.write { txn in try txn.put(db, key: [UInt8](repeating: 1, count: 600), value: [1]) }
            Issue.record("oversized key accepted")
        } catch let error as LMDBError {
            #expect(error.code == MDB_BAD_VALSIZE)
        }
        // Opening a database that does not exist.
        #expect(throws: LMDBError.self) {
            try env.write { txn in _ = try env.openDatabase("absent", create: false, in: txn) }
        }
    }

    @Test func mapFullIsReportedAndTheTransactionRolledBack() throws {
        let dir = try TemporaryDirectory()
        var options = LMDBEnvironment.Options()
        options.mapSize = 1 << 20
        let env = try LMDBEnvironment(path: dir.file("small.mdb"), options: options)
        defer { env.close() }
        let db = try env.write { txn in try env.openDatabase("t", create: true, in: txn) }
        do {
            try env.write { txn in
                for index in 0..<10_000 {
                    try withUnsafeBytes(of: UInt32(index).bigEndian) { key in
                        try txn.put(db, key: key, value: UnsafeRawBufferPointer(start: nil, count: 0))
                    }
                    try txn.put(db, key: Array("big\(index)".utf8), value: [UInt8](repeating: 0, count: 1000))
                }
            }
            Issue.record("1 MiB map accepted 10 MB")
        } catch let error as LMDBError {
            #expect(error.isMapFull)
        }
        #expect(try env.read { txn in try txn.stat(db).entries } == 0)
    }

    @Test func closedEnvironmentRefuses() throws {
        let dir = try TemporaryDirectory()
        let env = try LMDBEnvironment(path: dir.file("test.mdb"))
        env.close()
        #expect(throws: LMDBError.self) { try env.read { _ in 1 } }
        env.close()
    }

    @Test func fileCheckVerdicts() throws {
        let dir = try TemporaryDirectory()
        #expect(LMDBFileCheck.check(path: dir.file("absent.mdb")) == .absent)
        let env = try LMDBEnvironment(path: dir.file("ok.mdb"))
        try env.write { txn in _ = try env.openDatabase("x", create: true, in: txn) }
        env.close()
        guard case .valid(let pageSize, _) = LMDBFileCheck.check(path: dir.file("ok.mdb")) else {
            Issue.record("valid file not recognised")
            return
        }
        #expect(pageSize >= 4096)
    }
}
