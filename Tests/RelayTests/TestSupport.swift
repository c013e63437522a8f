import EventLog
import Foundation

/// A temporary directory removed when the value is deinitialised.
final class ScratchDirectory: Sendable {
    let path: String

    init(_ label: String = #function) throws {
        let name = "relay-test-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Opens a real event log in `directory` (small map, fixed epoch).
func openLog(_ directory: ScratchDirectory) throws -> EventLog {
    var configuration = EventLog.Configuration(directory: directory.path)
    configuration.epoch = 1000
    configuration.mapSize = 1 << 30
    return try EventLog(configuration)
}

/// A test precondition that did not hold.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass.
func eventually(seconds: Double = 30, _ condition: () throws -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(seconds)
    while clock.now < deadline {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return try condition()
}
