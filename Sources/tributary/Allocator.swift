#if os(Linux)
import CJemalloc
#endif

/// The memory allocator the process runs on: jemalloc, linked into the executable on Linux, where glibc's malloc
/// cost the relay ~12 % of its CPU on the several-KiB buffers of every event (BENCHMARKS.md, ingest).
enum Allocator {
    /// "jemalloc <version>", or "system malloc" where jemalloc is not the allocator.
    static var description: String {
        #if os(Linux)
        var version: UnsafePointer<CChar>?
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        if mallctl("version", &version, &size, nil, 0) == 0, let version {
            // "5.3.0-0-g<commit>": the release is enough.
            return "jemalloc " + (String(cString: version).split(separator: "-").first.map(String.init) ?? "")
        }
        #endif
        return "system malloc"
    }

    /// Bytes the application holds from jemalloc now (its `stats.allocated`, refreshed first), or nil without it.
    static var allocatedBytes: Int? {
        #if os(Linux)
        // Statistics are cached per epoch; writing the epoch refreshes them.
        var epoch: UInt64 = 1
        guard mallctl("epoch", nil, nil, &epoch, MemoryLayout<UInt64>.size) == 0 else { return nil }
        var allocated = 0
        var size = MemoryLayout<Int>.size
        if mallctl("stats.allocated", &allocated, &size, nil, 0) == 0 { return allocated }
        #endif
        return nil
    }
}
