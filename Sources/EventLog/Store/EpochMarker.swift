import Foundation

/// The epoch marker file in the data directory: the highest epoch a log in this directory has used.
///
/// It lives outside the LMDB file so that it survives that file being deleted, and stops a rebuilt log from
/// starting at an epoch whose seqs consumers may already hold (design §3).
enum EpochMarker {
    static let fileName = "epoch-marker"
    static let prefix = "tributary-epoch "

    static func path(in directory: String) -> String { (directory as NSString).appendingPathComponent(fileName) }

    /// The recorded epoch, or `nil` if there is no marker.
    static func read(directory: String) throws(EventLogError) -> UInt64? {
        let path = path(in: directory)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), data.count < 256,
              let text = String(data: data, encoding: .utf8), text.hasPrefix(prefix), text.hasSuffix("\n"),
              let epoch = UInt64(text.dropFirst(prefix.count).dropLast())
        else { throw .corruptEpochMarker(path: path) }
        return epoch
    }

    /// Atomically replaces the marker with `epoch` and makes it durable (temp file, fsync, rename, fsync dir).
    static func write(directory: String, epoch: UInt64) throws(EventLogError) {
        let path = path(in: directory)
        let temp = path + ".tmp"
        let bytes = Array("\(prefix)\(epoch)\n".utf8)
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .io(path: temp, reason: String(cString: strerror(errno))) }
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0 else {
            throw .io(path: temp, reason: "short write or fsync failure: \(String(cString: strerror(errno)))")
        }
        guard rename(temp, path) == 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        let dir = open(directory, O_RDONLY)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }
}
