#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time of the calling thread, to attribute frame production cost without counting time spent waiting.
enum ThreadCPUClock {
    /// Nanoseconds of CPU the current thread has used (0 if the clock is unavailable).
    static func nanoseconds() -> UInt64 {
        var spec = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec) == 0 else { return 0 }
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
