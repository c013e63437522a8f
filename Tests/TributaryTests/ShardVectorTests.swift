import EventLog
import Foundation
import Testing

/// The shard test vectors published in docs/consumers.md are what the relay computes.
@Suite struct ShardVectorTests {
    /// (DID, hash, shard of 2, 4, 16, 256).
    static let vectors: [(String, UInt64, [Int])] = [
        ("did:plc:ewvi7nxzyoun6zhxrhs64oiz", 0x099e_4ea9_6cd6_2c05, [0, 0, 0, 9]),
        ("did:web:example.com", 0x3e23_4cd3_3525_135d, [0, 0, 3, 62]),
        ("did:plc:44ybard66vv44zksje25o7dz", 0xcfe5_6478_1cef_d579, [1, 3, 12, 207]),
        ("did:plc:z72i7hdynmk6r22z27h6tvur", 0xf5b5_7a54_9b7a_d681, [1, 3, 15, 245]),
    ]

    @Test func vectorsMatchTheCodeAndTheGuide() throws {
        let guide = try String(
            contentsOf: ConfigFileTests.root.appendingPathComponent("docs/consumers.md"), encoding: .utf8)
        #expect(Self.vectors.count == 4)
        for (did, hash, shards) in Self.vectors {
            #expect(ShardHash.of(did: did) == hash)
            for (count, expected) in zip([2, 4, 16, 256], shards) {
                let filter = try ShardFilter(index: expected, count: count)
                #expect(filter.shard(of: hash) == expected)
                #expect(filter.contains(hash))
            }
            let row = "| `\(did)` | `0x" + String(hash, radix: 16).leftPadded(to: 16) + "` | "
                + shards.map(String.init).joined(separator: " | ") + " |"
            #expect(guide.contains(row), "docs/consumers.md lacks the row \(row)")
        }
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
