@testable import ATCrypto

/// SHA-256 for tests, through the library's own zero-copy helper.
enum SHA256Helper {
    static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { Array(PublicKey.sha256($0)) }
    }
}
