import ATData
import ATRepo
import Crypto
import Foundation

/// Shared fixture paths and helpers for the repository tests.
enum RepoFixtures {
    static let shared = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared").standardizedFileURL

    static func data(_ path: String) throws -> Data { try Data(contentsOf: shared.appendingPathComponent(path)) }

    static func jsonArray(_ path: String) throws -> [[String: Any]]? {
        try JSONSerialization.jsonObject(with: data(path)) as? [[String: Any]]
    }

    /// A deterministic stand-in signature (SHA-256 twice) that tests can check exactly; real keys are tested with
    /// ATCrypto. It proves the signed bytes are the commit's unsigned encoding.
    static func testSign(_ bytes: [UInt8]) -> [UInt8] {
        let first = Array(SHA256.hash(data: bytes))
        return first + Array(SHA256.hash(data: first))
    }

    static func testCheck(_ commit: Commit) -> Bool { commit.signature == testSign(commit.unsignedBytes) }

    /// A small record with a distinct body.
    static func record(_ index: Int, text: String = "post") -> [UInt8] {
        DAGCBOR.encode([
            "$type": "app.bsky.feed.post", "text": .string("\(text) \(index)"),
            "createdAt": "2026-11-25T00:00:00.000Z",
        ])
    }
}

/// Deterministic random numbers (SplitMix64), so failures reproduce from the seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A TID-like rev counter for tests (13 chars of the sortable base32 alphabet, strictly increasing).
struct TestRevs {
    private var counter: UInt64 = 1 << 50
    private static let alphabet = Array("234567abcdefghijklmnopqrstuvwxyz")
    mutating func next() -> String {
        counter += 1024
        var value = counter
        var chars = [Character](repeating: "2", count: 13)
        for index in (0..<13).reversed() {
            chars[index] = TestRevs.alphabet[Int(value & 31)]
            value >>= 5
        }
        return String(chars)
    }
}
