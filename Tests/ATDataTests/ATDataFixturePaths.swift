import Foundation

/// Locates the shared fixtures (`../shared` beside the package root) from this file's path.
enum ATDataFixturePaths {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = packageRoot.appendingPathComponent("../shared").standardizedFileURL

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: shared.appendingPathComponent(relativePath)))
    }

    static func json(_ relativePath: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes(relativePath)))
    }

    /// A JSON file whose top level is an array of objects (nil otherwise).
    static func jsonArray(_ relativePath: String) throws -> [[String: Any]]? {
        try json(relativePath) as? [[String: Any]]
    }
}
