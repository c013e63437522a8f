import ATData
import Foundation
import Synchronization
import Testing

@Suite("TID")
struct SyntaxTIDTests {
    /// Values computed independently (Python) from the base32-sortable definition.
    @Test("known strings decode to known integers and back", arguments: [
        ("2222222222222", UInt64(0)),
        ("3jzfcijpj2z2a", UInt64(0x17fd_6873_eaf0_7c06)),
        ("7777777777777", UInt64(0x5294_a529_4a52_94a5)),
        ("3zzzzzzzzzzzz", UInt64(0x1fff_ffff_ffff_ffff)),
        ("jzzzzzzzzzzzz", UInt64.max),
        ("c222222222222", UInt64(1) << 63),
    ])
    func knownValues(string: String, value: UInt64) throws {
        let tid = try TID(string)
        #expect(tid.rawValue == value)
        #expect(TID(rawValue: value).string == string)
        #expect(tid.description == string)
    }

    @Test("fields: 53-bit microseconds and 10-bit clock id")
    func fields() throws {
        let tid = try TID("3jzfcijpj2z2a")
        #expect(tid.microsecondsSinceEpoch == 1_688_137_381_887_007)
        #expect(tid.clockID == 6)
        let built = try TID(microsecondsSinceEpoch: 1_682_944_496_789_012, clockID: 7)
        #expect(built.string == "3juo6aiktko2b")
        #expect(built.microsecondsSinceEpoch == 1_682_944_496_789_012)
        #expect(built.clockID == 7)
        #expect(throws: SyntaxError.outOfRange(.tid)) { try TID(microsecondsSinceEpoch: 1 << 53, clockID: 0) }
        #expect(throws: SyntaxError.outOfRange(.tid)) { try TID(microsecondsSinceEpoch: 0, clockID: 1024) }
    }

    @Test("TID(date:clockID:) truncates to the microsecond and rejects dates before 1970")
    func fromDate() throws {
        // 2023-05-01T12:34:56.789012Z
        let date = Date(timeIntervalSince1970: 1_682_944_496.789_012_5)
        let tid = try TID(date: date, clockID: 7)
        #expect(tid.string == "3juo6aiktko2b")
        #expect(abs(tid.date.timeIntervalSince(date)) < 0.000_002)
        #expect(throws: SyntaxError.outOfRange(.tid)) { try TID(date: Date(timeIntervalSince1970: -1), clockID: 0) }
    }

    @Test("string round trip and string order equal numeric order over many values")
    func roundTripAndOrder() throws {
        var generator = SplitMix64(seed: 0x5eed)
        var previous = TID(rawValue: 0)
        for _ in 0..<5000 {
            let tid = TID(rawValue: generator.next())
            let string = tid.string
            #expect(string.utf8.count == TID.length)
            #expect(try TID(string) == tid)
            #expect((previous < tid) == (previous.string < string))
            #expect((previous == tid) == (previous.string == string))
            previous = tid
        }
    }

    @Test("errors name the defect")
    func errors() {
        #expect(throws: SyntaxError.wrongLength(.tid, expected: 13)) { try TID("222") }
        #expect(throws: SyntaxError.unexpectedCharacter(.tid, offset: 0)) { try TID("k222222222222") }
        #expect(throws: SyntaxError.unexpectedCharacter(.tid, offset: 12)) { try TID("222222222222A") }
        #expect(throws: SyntaxError.unexpectedCharacter(.tid, offset: 4)) { try TID("2222122222222") }
    }

    @Test("JSON form is the plain string")
    func codable() throws {
        let tid = try TID("3jzfcijpj2z2a")
        let json = try JSONEncoder().encode([tid])
        #expect(String(decoding: json, as: UTF8.self) == #"["3jzfcijpj2z2a"]"#)
        #expect(try JSONDecoder().decode([TID].self, from: json) == [tid])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TID].self, from: Data(#"["nope"]"#.utf8)) }
    }

    @Test("clock never goes backwards even when the wall clock does")
    func clockGoingBackwards() {
        let readings = Mutex<[UInt64]>([1_000_000, 2_000_000, 1_500_000, 1_500_000, 900_000, 2_000_001, 3_000_000])
        let clock = TIDClock(clockID: 5) { readings.withLock { $0.removeFirst() } }
        let issued = (0..<7).map { _ in clock.next() }
        #expect(issued.map(\.microsecondsSinceEpoch) == [
            1_000_000, 2_000_000, 2_000_001, 2_000_002, 2_000_003, 2_000_004, 3_000_000,
        ])
        #expect(issued.allSatisfy { $0.clockID == 5 })
        for (earlier, later) in zip(issued, issued.dropFirst()) {
            #expect(earlier < later)
            #expect(earlier.string < later.string)
        }
    }

    @Test("clock resumes above a floor such as the last stored rev")
    func clockFloor() throws {
        let floor = try TID(microsecondsSinceEpoch: 5_000_000, clockID: 1000)
        let clock = TIDClock(clockID: 3, after: floor) { 4_000_000 }
        let first = clock.next()
        #expect(first > floor)
        #expect(first.microsecondsSinceEpoch == 5_000_001)
        #expect(first.clockID == 3)
        #expect(clock.next() > first)
    }

    @Test("the system clock produces current, increasing TIDs")
    func systemClock() {
        let clock = TIDClock()
        let first = clock.next()
        let second = clock.next()
        #expect(first < second)
        #expect(first.clockID == clock.clockID)
        #expect(abs(first.date.timeIntervalSinceNow) < 60)
    }

    @Test("concurrent callers get unique TIDs, each caller's strictly increasing")
    func concurrentMonotonicity() async {
        // A frozen wall clock forces every call through the bump path under contention.
        let clock = TIDClock(clockID: 9) { 1_700_000_000_000_000 }
        let tasks = 8
        let perTask = 2000
        let sequences = await withTaskGroup(of: [TID].self) { group in
            for _ in 0..<tasks {
                group.addTask { (0..<perTask).map { _ in clock.next() } }
            }
            var all: [[TID]] = []
            for await sequence in group { all.append(sequence) }
            return all
        }
        #expect(sequences.count == tasks)
        for sequence in sequences {
            #expect(sequence.count == perTask)
            #expect(zip(sequence, sequence.dropFirst()).allSatisfy { $0 < $1 })
        }
        let all = sequences.flatMap { $0 }
        #expect(Set(all).count == tasks * perTask)
        // With a frozen clock the issued set is exactly the next `tasks * perTask` microseconds.
        let micros = all.map(\.microsecondsSinceEpoch)
        #expect(micros.min() == 1_700_000_000_000_000)
        #expect(micros.max() == 1_700_000_000_000_000 + UInt64(tasks * perTask) - 1)
    }
}

/// Small deterministic generator for reproducible test values.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
