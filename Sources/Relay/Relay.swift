import ATIdentity
import AsyncHTTPClient
import EventLog
import Logging
import Synchronization

/// The ingest side of the relay: the host registry, one upstream connection per host, the validation pipeline and
/// the log writer (design §2). The firehose service reads what it writes from the same ``EventLog``.
public final class Relay: Sendable {
    /// The policy.
    public let configuration: RelayConfiguration
    /// The event log it writes.
    public let log: EventLog
    /// Its metrics.
    public let metrics: RelayMetrics
    /// Totals since start, for in-process views.
    public let statistics = RelayStatistics()
    let registry: HostRegistry
    let writer: IngestWriter
    let pipeline: IngestPipeline
    let admission: CrawlAdmission
    let httpClient: HTTPClient
    let logger: Logger
    private let running = Mutex(false)

    /// Creates the relay over `log`; `directory` resolves DIDs, `verifyHandle` checks a handle both ways
    /// (returning it if it verifies). Nothing connects until ``run()``.
    public init(
        configuration: RelayConfiguration, log: EventLog, directory: IdentityDirectory,
        verifyHandle: @escaping @Sendable (Identity) async -> String?, metrics: RelayMetrics = RelayMetrics(),
        logger: Logger = Logger(label: "tributary.relay")
    ) {
        self.configuration = configuration
        self.log = log
        self.metrics = metrics
        self.logger = logger
        let registry = HostRegistry(configuration: configuration)
        self.registry = registry
        let writer = IngestWriter(
            log: log, maxBatch: configuration.maxBatchEvents, batchWindow: configuration.ingestBatchWindow,
            metrics: metrics, statistics: statistics, logger: logger, progress: { registry.runtime($0)?.progress })
        self.writer = writer
        let validator = EventValidator(
            log: log, accounts: writer.accounts, identities: IdentityService(directory: directory, verifyHandle: verifyHandle),
            registry: registry, configuration: configuration, metrics: metrics, logger: logger)
        self.pipeline = IngestPipeline(
            validator: validator, writer: writer, metrics: metrics, statistics: statistics, logger: logger)
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        self.admission = CrawlAdmission(
            registry: registry, allowPrivateHosts: configuration.allowPrivateHosts, httpClient: httpClient)
    }

    /// Runs ingest until the task is cancelled: loads the stored hosts and settings, subscribes to every host
    /// that is not banned plus the `crawl` list, and writes. On cancellation the connections close and the
    /// events already queued are written before it returns.
    public func run() async throws {
        try loadSettings()
        running.withLock { $0 = true }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.writer.run() }
            do {
                let stored = try log.read { try $0.hosts(limit: .max) }
                for state in stored {
                    guard let hostname = Hostname(state.hostname) else { continue }
                    let (runtime, _) = registry.runtime(for: hostname, state: state)
                    if state.status != .banned { startConnection(runtime) }
                }
            } catch {
                logger.error("could not load hosts", metadata: ["error": "\(error)"])
            }
            for name in configuration.crawl {
                do {
                    _ = try await addHost(name, checkQuota: false, probe: false)
                } catch {
                    logger.error("cannot crawl host", metadata: ["host": "\(name)", "error": "\(error)"])
                }
            }
            await withTaskCancellationHandler {
                await Self.sleepUntilCancelled()
            } onCancel: {
                self.stopConnections()
            }
            for runtime in registry.all { await runtime.withLive { $0.connection }?.value }
            // In a fresh task: this one is cancelled, and its sleeps would return at once.
            await Task { await self.drainInFlight(within: .seconds(15)) }.value
            writer.stop()
            await group.waitForAll()
        }
        pipeline.serializer.close()
        running.withLock { $0 = false }
        try? await httpClient.shutdown()
    }

    /// Shuts the HTTP client down when the relay is discarded without having run.
    public func shutdown() async {
        try? await httpClient.shutdown()
    }

    /// Lets the events already read finish (validation, then their write), for at most `limit`; anything still
    /// in flight after it is simply not committed and is read again after the restart.
    private func drainInFlight(within limit: Duration) async {
        let hosts = registry.all
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, hosts.contains(where: { $0.progress.outstanding > 0 }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private static func sleepUntilCancelled() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
    }

    private func stopConnections() {
        for runtime in registry.all { runtime.withLive { $0.connection }?.cancel() }
    }

    /// Loads the operator settings kept in the log.
    private func loadSettings() throws {
        let (domains, crawl) = try log.read { txn in
            (try txn.setting(SettingNames.bannedDomains), try txn.setting(SettingNames.publicCrawl))
        }
        if let domains {
            registry.setBannedDomains(Set(String(decoding: domains, as: UTF8.self).split(separator: "\n").map(String.init)))
        }
        if let crawl { registry.setPublicCrawl(crawl == [1]) }
    }

    /// Subscribes to `runtime`'s host unless a connection is already running.
    func startConnection(_ runtime: HostRuntime) {
        let connection = UpstreamConnection(
            host: runtime, log: log, pipeline: pipeline, configuration: configuration, metrics: metrics,
            logger: logger)
        runtime.withLive { live in
            guard live.connection == nil else { return }
            live.connection = Task { await connection.run() }
        }
    }

    /// Closes `runtime`'s connection (ban) and waits for it to end.
    func stopConnection(_ runtime: HostRuntime) async {
        let task = runtime.withLive { live -> Task<Void, Never>? in
            defer { live.connection = nil }
            return live.connection
        }
        task?.cancel()
        await task?.value
    }

    /// Considers a public `com.atproto.sync.requestCrawl`: every check of design §8, then crawls the host.
    public func requestCrawl(_ hostname: String) async throws(CrawlRefusal) {
        guard registry.publicCrawl else { throw .disabled }
        let vetted = try await admission.vet(hostname)
        if let known = registry.runtime(vetted.value) {
            // A known host asking again: make sure it is being read.
            if running.withLock({ $0 }) { startConnection(known) }
            return
        }
        try await admission.probe(vetted)
        guard registry.admitNewHost() else { throw .quotaExceeded }
        _ = try await addHost(vetted.value, checkQuota: false, probe: false)
    }

    /// Registers a host (stored as `active`) and starts its connection if the relay is running.
    @discardableResult
    func addHost(_ text: String, checkQuota: Bool, probe: Bool) async throws(CrawlRefusal) -> HostRuntime {
        let hostname = try await admission.vet(text)
        if probe { try await admission.probe(hostname) }
        if checkQuota, !registry.admitNewHost() { throw .quotaExceeded }
        let state: HostState
        do {
            state = try log.write { txn -> HostState in
                if let existing = try txn.host(hostname.value) { return existing }
                let record = HostState(hostname: hostname.value, status: .active, firstSeen: txn.now)
                try txn.putHost(record)
                return record
            }
        } catch {
            throw .notAPDS("could not store host: \(error)")
        }
        let (runtime, created) = registry.runtime(for: hostname, state: state)
        if created { logger.info("host added", metadata: ["host": "\(hostname)"]) }
        if running.withLock({ $0 }), !runtime.isBanned { startConnection(runtime) }
        return runtime
    }
}

/// Names of the settings the relay keeps in the log.
enum SettingNames {
    static let bannedDomains = "relay.banned-domains"
    static let publicCrawl = "relay.public-crawl"
}
