import Foundation

/// Helpers every fuzz target uses: the input as bytes and the invariant check that turns a violation into a crash
/// libFuzzer records (with the input that caused it).
public enum FuzzInput {
    /// Copies libFuzzer's input (which may be a null pointer when empty) into an array.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Aborts with `message` when an invariant does not hold.
    public static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        guard !condition() else { return }
        FileHandle.standardError.write(Data("fuzz invariant violated: \(message())\n".utf8))
        abort()
    }
}
