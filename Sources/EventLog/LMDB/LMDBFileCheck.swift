import Foundation

/// Checks an LMDB data file's header before it is mapped.
///
/// liblmdb trusts its file: a truncated file makes it touch pages past the end of the file (SIGBUS), and a file
/// of another kind gives only `MDB_INVALID`. Reading the two meta pages first turns both into a clear reason.
/// Layout (liblmdb 0.9, 64-bit, little-endian): a 16-byte page header whose flags (offset 10) carry `P_META`,
/// then the meta record: magic `0xBEEFC0DE` (+0), data version 1 (+4), two 48-byte DB records from +24 (the
/// first one's pad field holds the page size; each has its root page at +40 inside it, i.e. +64 and +112), the
/// last page number (+120) and the transaction id (+128).
public enum LMDBFileCheck {
    /// Outcome of a check.
    public enum Verdict: Equatable, Sendable {
        /// No file, or an empty one: LMDB will initialise it.
        case absent
        /// Both meta pages are sane and the file holds every page they reference.
        case valid(pageSize: Int, lastPage: Int)
        /// Not something to open; the reason says why.
        case invalid(String)
    }

    static let magic: UInt32 = 0xBEEF_C0DE
    static let dataVersion: UInt32 = 1
    static let metaFlag: UInt16 = 0x08
    static let pageHeaderSize = 16
    static let invalidPage = UInt64.max

    private struct Meta {
        var pageSize: Int
        var lastPage: UInt64
        var txnID: UInt64
        var roots: [UInt64]
    }

    /// Reads the header of the file at `path`.
    public static func check(path: String) -> Verdict {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return FileManager.default.fileExists(atPath: path) ? .invalid("cannot be opened for reading") : .absent
        }
        defer { try? handle.close() }
        let fileSize: UInt64
        do { fileSize = try handle.seekToEnd() } catch { return .invalid("cannot determine its size") }
        if fileSize == 0 { return .absent }
        let headerBytes: Data
        do {
            try handle.seek(toOffset: 0)
            headerBytes = try handle.read(upToCount: 256) ?? Data()
        } catch { return .invalid("cannot be read") }
        let first = [UInt8](headerBytes)
        guard first.count >= pageHeaderSize + 136 else { return .invalid("too short to be an LMDB file") }
        guard let meta0 = parseMeta(first) else { return .invalid("no LMDB meta page at its start (not an LMDB file)") }
        let pageSize = meta0.pageSize
        guard fileSize >= UInt64(2 * pageSize) else { return .invalid("truncated: shorter than its two meta pages") }
        let second: [UInt8]
        do {
            try handle.seek(toOffset: UInt64(pageSize))
            second = [UInt8](try handle.read(upToCount: 256) ?? Data())
        } catch { return .invalid("cannot be read") }
        let meta1 = parseMeta(second)
        // LMDB uses the meta page with the newer transaction id; the other may legitimately be older.
        var newest = meta0
        if let meta1 {
            guard meta1.pageSize == pageSize else { return .invalid("its two meta pages disagree on the page size") }
            if meta1.txnID > meta0.txnID { newest = meta1 }
        }
        let pagesInFile = fileSize / UInt64(pageSize)
        guard newest.lastPage >= 1, newest.lastPage < pagesInFile else {
            return .invalid("truncated: it references page \(newest.lastPage) but holds \(pagesInFile) pages")
        }
        for root in newest.roots where root != invalidPage && (root < 2 || root > newest.lastPage) {
            return .invalid("corrupt meta page: root page \(root) outside 2…\(newest.lastPage)")
        }
        return .valid(pageSize: pageSize, lastPage: Int(newest.lastPage))
    }

    private static func parseMeta(_ page: [UInt8]) -> Meta? {
        guard page.count >= pageHeaderSize + 136 else { return nil }
        func u16(_ at: Int) -> UInt16 { UInt16(page[at]) | UInt16(page[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(page[at + $1]) << (8 * UInt32($1)) } }
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(page[at + $1]) << (8 * UInt64($1)) } }
        let m = pageHeaderSize
        guard u16(10) & metaFlag != 0, u32(m) == magic, u32(m + 4) == dataVersion else { return nil }
        let pageSize = Int(u32(m + 24))
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else { return nil }
        return Meta(pageSize: pageSize, lastPage: u64(m + 120), txnID: u64(m + 128), roots: [u64(m + 64), u64(m + 112)])
    }
}
