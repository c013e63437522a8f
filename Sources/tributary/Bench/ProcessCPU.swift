import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU clocks for the benchmarks.
enum ProcessCPU {
    /// User + system CPU time of the whole process (all threads), in seconds (`getrusage(RUSAGE_SELF)`).
    static func seconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        func value(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return value(usage.ru_utime) + value(usage.ru_stime)
    }

    /// CPU time of the calling thread, in seconds.
    static func threadSeconds() -> Double {
        var spec = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec) == 0 else { return 0 }
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1_000_000_000
    }

    /// Resident memory in MiB split as /proc/self/status does: anonymous (heap, stacks) and file-backed (mapped
    /// files such as the LMDB log, whose pages the kernel can drop and re-read); zeros where unavailable.
    static func residentSplitMiB() -> (anonymous: Double, file: Double) {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func kibibytes(_ field: String) -> Double {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return 0 }
            return Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return (kibibytes("RssAnon") / 1024, (kibibytes("RssFile") + kibibytes("RssShmem")) / 1024)
    }

    /// Resident set size in MiB (from /proc/self/statm; 0 where unavailable).
    static func residentMiB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(getpagesize()) / 1_048_576
    }
}
