import Foundation
import Testing
import Yams

@testable import tributary

/// The files in deploy/ parse, reference each other consistently, and the dashboard queries only series the relay
/// exports (no container engine is needed).
@Suite struct DeployFilesTests {
    static let deploy = ConfigFileTests.root.appendingPathComponent("deploy")

    static func text(_ relative: String) throws -> String {
        try String(contentsOf: deploy.appendingPathComponent(relative), encoding: .utf8)
    }

    static func yaml(_ relative: String) throws -> [String: Any] {
        guard let object = try Yams.load(yaml: text(relative)) as? [String: Any] else {
            throw TestFailure("\(relative) is not a YAML mapping")
        }
        return object
    }

    @Test func composeFileHasRelayPrometheusAndGrafana() throws {
        let compose = try Self.yaml("docker-compose.yml")
        let services = try #require(compose["services"] as? [String: Any])
        #expect(Set(services.keys) == ["relay", "prometheus", "grafana"])
        let relay = try #require(services["relay"] as? [String: Any])
        let build = try #require(relay["build"] as? [String: Any])
        #expect(build["dockerfile"] as? String == "deploy/Dockerfile")
        #expect((relay["command"] as? [String]) == ["--config", "/etc/tributary/tributary.yaml"])
        let volumes = try #require(relay["volumes"] as? [String])
        #expect(volumes.contains("./tributary.yaml:/etc/tributary/tributary.yaml:ro"))
        // Every file the compose file mounts from deploy/ exists.
        let grafana = try #require(services["grafana"] as? [String: Any])
        let prometheus = try #require(services["prometheus"] as? [String: Any])
        let mounts = (volumes + (grafana["volumes"] as? [String] ?? []) + (prometheus["volumes"] as? [String] ?? []))
            .compactMap { $0.split(separator: ":").first.map(String.init) }.filter { $0.hasPrefix("./") }
        #expect(mounts.count == 4)
        for mount in mounts {
            #expect(FileManager.default.fileExists(atPath: Self.deploy.appendingPathComponent(mount).path), "\(mount)")
        }
    }

    @Test func prometheusScrapesTheRelayMetricsPort() throws {
        let config = try Self.yaml("prometheus.yml")
        let jobs = try #require(config["scrape_configs"] as? [[String: Any]])
        #expect(jobs.count == 1)
        let targets = (jobs.first?["static_configs"] as? [[String: Any]])?.first?["targets"] as? [String]
        #expect(targets == ["relay:2471"])
        // The image makes the metrics listen on the container network, on the port Prometheus scrapes.
        let dockerfile = try Self.text("Dockerfile")
        #expect(dockerfile.contains("TRIBUTARY_METRICS_LISTEN=0.0.0.0:2471"))
        #expect(dockerfile.contains("EXPOSE 2470 2471"))
        #expect(dockerfile.contains(#"ENTRYPOINT ["/usr/local/bin/tributary", "serve"]"#))
    }

    @Test func grafanaProvisioningPointsAtTheDashboard() throws {
        let datasources = try Self.yaml("grafana/provisioning/datasources/prometheus.yml")
        let source = try #require((datasources["datasources"] as? [[String: Any]])?.first)
        #expect(source["uid"] as? String == "prometheus" && source["url"] as? String == "http://prometheus:9090")
        let providers = try Self.yaml("grafana/provisioning/dashboards/tributary.yml")
        let provider = try #require((providers["providers"] as? [[String: Any]])?.first)
        #expect((provider["options"] as? [String: Any])?["path"] as? String == "/var/lib/grafana/dashboards")
    }

    /// Every `expr` of every panel of the dashboard.
    static func dashboardExpressions() throws -> [String] {
        let data = try Data(contentsOf: deploy.appendingPathComponent("grafana/dashboards/tributary.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(dashboard["uid"] as? String == "tributary")
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        var expressions: [String] = []
        for panel in panels {
            let targets = try #require(panel["targets"] as? [[String: Any]], "panel without targets")
            for target in targets {
                expressions.append(try #require(target["expr"] as? String))
                #expect((target["datasource"] as? [String: Any])?["uid"] as? String == "prometheus")
            }
        }
        return expressions
    }

    /// Every metric label created in Sources (`label: "tributary_…"` and the labelled-counter helper's names).
    static func exportedSeries() throws -> Set<String> {
        let sources = ConfigFileTests.root.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        let pattern = try Regex(#""(tributary_[a-z_]+)""#)
        var names: Set<String> = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) {
                if let name = match.output[1].substring { names.insert(String(name)) }
            }
        }
        return names
    }

    @Test func dashboardQueriesOnlyExportedSeries() throws {
        let expressions = try Self.dashboardExpressions()
        #expect(expressions.count >= 20)
        let exported = try Self.exportedSeries()
        #expect(exported.count >= 24)
        let pattern = try Regex(#"tributary_[a-z_]+"#)
        var used: Set<String> = []
        for expression in expressions {
            for match in expression.matches(of: pattern) {
                var name = String(expression[match.range])
                // Histograms are exported as <name>_bucket / _sum / _count.
                for suffix in ["_bucket", "_sum", "_count"] where !exported.contains(name) && name.hasSuffix(suffix) {
                    name = String(name.dropLast(suffix.count))
                }
                #expect(exported.contains(name), "\(name) in \(expression) is not a series of Sources/")
                used.insert(name)
            }
        }
        // What the issue asks the dashboard to show.
        for required in ["tributary_ingest_events_total", "tributary_events_dropped_total", "tributary_hosts",
                         "tributary_upstream_connections", "tributary_subscribers",
                         "tributary_subscriber_lag_max_events", "tributary_log_bytes", "tributary_head_seq",
                         "tributary_process_resident_memory_bytes"] {
            #expect(used.contains(required), "the dashboard does not show \(required)")
        }
    }

    @Test func systemdUnitIsHardened() throws {
        let unit = try Self.text("systemd/tributary.service")
        let lines = Set(unit.split(separator: "\n").map(String.init))
        for line in ["DynamicUser=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/tributary",
                     "NoNewPrivileges=yes", "PrivateTmp=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
                     "MemoryDenyWriteExecute=yes", "LimitNOFILE=1048576", "Restart=on-failure",
                     "EnvironmentFile=-/etc/tributary/tributary.env"] {
            #expect(lines.contains(line), "missing \(line)")
        }
        #expect(unit.contains("ExecStart=/usr/local/bin/tributary serve --config /etc/tributary/tributary.yaml"))
    }
}
