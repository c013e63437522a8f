import Foundation

/// Loads shared fixtures relative to the package root (`../shared/...`).
enum Fixtures {
    /// Package root: Tests/ATCryptoTests/Fixtures.swift → three levels up.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/interop/<path>` bytes.
    static func interop(_ path: String) throws -> Data {
        try Data(contentsOf: packageRoot.appendingPathComponent("../shared/interop/" + path).standardizedFileURL)
    }

    /// `/work/shared/realdata/<path>` bytes (same `../shared` layout).
    static func realdata(_ path: String) throws -> Data {
        try Data(contentsOf: packageRoot.appendingPathComponent("../shared/realdata/" + path).standardizedFileURL)
    }

    /// Decodes a JSON fixture.
    static func decode<T: Decodable>(_ type: T.Type, interop path: String) throws -> T {
        try JSONDecoder().decode(type, from: interop(path))
    }
}
