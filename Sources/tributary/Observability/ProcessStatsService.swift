import CoreMetrics
import Foundation
import Relay
import ServiceLifecycle

/// Samples what the dashboards need beyond the ingest and log series: the process's resident memory
/// (`tributary_process_resident_memory_bytes`) and the known hosts by status (`tributary_hosts{status}`).
struct ProcessStatsService: Service {
    let administration: any RelayAdministration
    let interval: Duration
    private let resident = Gauge(label: "tributary_process_resident_memory_bytes")
    private let hosts: [String: Gauge]

    /// The statuses a host can have (`AdminHostView.status`); each gets a series, zero when no host has it.
    static let hostStatuses = ["active", "idle", "offline", "throttled", "banned"]

    /// Creates the sampler (after the metrics backend is bootstrapped).
    init(administration: any RelayAdministration, interval: Duration = .seconds(10)) {
        self.administration = administration
        self.interval = interval
        var hosts: [String: Gauge] = [:]
        for status in Self.hostStatuses {
            hosts[status] = Gauge(label: "tributary_hosts", dimensions: [("status", status)])
        }
        self.hosts = hosts
    }

    func run() async throws {
        // Cancelled on graceful shutdown, so the 10 s sleep never delays a stop.
        await cancelWhenGracefulShutdown { await sample() }
    }

    private func sample() async {
        while !Task.isCancelled {
            if let bytes = Self.residentBytes() { resident.record(bytes) }
            if let list = try? await administration.listHosts() {
                var counts = Dictionary(uniqueKeysWithValues: Self.hostStatuses.map { ($0, 0) })
                for host in list { counts[host.status, default: 0] += 1 }
                for (status, gauge) in hosts { gauge.record(counts[status] ?? 0) }
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Resident set size from `/proc/self/statm` (Linux); `nil` where that file does not exist.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
