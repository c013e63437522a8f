import Foundation

/// The configuration `tributary serve` runs with, as a YAML file (`--print-config`): every option in flag order,
/// unset ones as `null`, the admin token redacted. Apart from the token the output is itself a valid `--config`.
struct EffectiveConfiguration {
    /// One line per option.
    let entries: [(name: String, value: String, note: String?)]

    /// The effective values of a parsed `serve` command line.
    init(_ serve: Serve) {
        var entries: [(String, String, String?)] = [
            ("data-dir", Self.text(serve.dataDir), nil),
            ("listen", Self.text(serve.listen), nil),
            ("metrics-listen", Self.text(serve.metricsListen), nil),
            ("epoch", serve.epoch.map(String.init) ?? "null", serve.epoch == nil ? "a new log takes days since 2023-01-01" : nil),
            ("retention", Self.text(serve.retention.text), nil),
            ("max-log-bytes", serve.maxLogBytes.map(String.init) ?? "null", serve.maxLogBytes == nil ? "no size limit" : nil),
            ("sync", serve.sync.rawValue, nil),
            ("max-subscribers-per-address", String(serve.maxSubscribersPerAddress), nil),
            ("log-level", serve.logLevel, nil),
            ("plc-url", Self.text(serve.plcUrl), nil),
            ("crawl", Self.list(serve.crawl), nil),
            ("allow-private-hosts", String(serve.allowPrivateHosts), nil),
            ("lenient", String(serve.lenient), nil),
            ("default-account-limit", String(serve.defaultAccountLimit), nil),
            ("trusted-hosts", Self.list(serve.trustedHosts), nil),
            ("new-hosts-per-day", String(serve.newHostsPerDay), nil),
            ("new-host-cursor", serve.newHostCursor.rawValue, nil),
            ("no-public-crawl", String(serve.noPublicCrawl), nil),
            ("upstream-idle-timeout", Self.text(serve.upstreamIdleTimeout.text), nil),
            ("ingest-batch-window", Self.text(serve.ingestBatchWindow.text), nil),
        ]
        if serve.adminToken == nil {
            entries.append(("admin-token", "null", "read from <data-dir>/admin-token (created 0600 if missing)"))
        } else {
            entries.append(("admin-token", "", "set; redacted"))
        }
        self.entries = entries
    }

    /// The YAML text; a redacted entry is a comment so that the output stays a valid file.
    var yaml: String {
        var out = "# tributary serve: effective configuration (command line > environment > file > defaults)\n"
        for (name, value, note) in entries {
            if value.isEmpty {
                out += "# \(name): <\(note ?? "redacted")>\n"
            } else {
                out += "\(name): \(value)" + (note.map { "  # \($0)" } ?? "") + "\n"
            }
        }
        return out
    }

    /// A string as a YAML double-quoted scalar (JSON string syntax is valid YAML).
    static func text(_ value: String) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]),
            let quoted = String(data: data, encoding: .utf8)
        else { return "\"\"" }
        return quoted
    }

    /// A flow sequence of strings (`[]` when empty).
    static func list(_ values: [String]) -> String {
        "[" + values.map(text).joined(separator: ", ") + "]"
    }
}
