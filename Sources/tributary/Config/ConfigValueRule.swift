import EventLog
import Foundation
import Logging
import Relay
import RelayHTTP

/// What a configuration key's value must look like; checked before the value reaches the argument parser so that
/// every problem of a file is reported at once.
enum ConfigValueRule: Sendable {
    /// Any non-empty text.
    case text
    /// A non-negative integer (plain decimal digits) up to `maximum`.
    case integer(maximum: UInt64)
    /// `host:port`.
    case hostAndPort
    /// A duration as `--retention` takes it (`72h`, `30m`, `0`).
    case duration
    /// One of the listed words.
    case oneOf([String])
    /// An `http://` or `https://` URL.
    case httpURL
    /// An admin API token (16–1024 visible ASCII characters).
    case adminToken

    /// Why `value` is refused, or `nil` when it is fine.
    func refusal(of value: String) -> String? {
        switch self {
        case .text:
            return value.isEmpty ? "must not be empty" : nil
        case .integer(let maximum):
            guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = UInt64(value)
            else { return "expected a non-negative integer" }
            return number <= maximum ? nil : "at most \(maximum)"
        case .hostAndPort:
            return (try? Serve.hostAndPort(value, option: "")) == nil ? "expected host:port (e.g. 0.0.0.0:2470)" : nil
        case .duration:
            return DurationArgument(argument: value) == nil ? "expected a duration such as 72h, 30m, 7d or 0" : nil
        case .oneOf(let words):
            return words.contains(value) ? nil : "expected one of " + words.joined(separator: ", ")
        case .httpURL:
            guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                url.host != nil
            else { return "expected an http:// or https:// URL" }
            return nil
        case .adminToken:
            do {
                _ = try AdminToken(value)
                return nil
            } catch {
                return "expected \(AdminToken.minimumLength)–\(AdminToken.maximumLength) visible ASCII characters"
            }
        }
    }
}

extension Serve {
    /// The value rule of each `serve` option that takes a value (flags are booleans, lists hold host names).
    static let configRules: [String: ConfigValueRule] = [
        "data-dir": .text,
        "listen": .hostAndPort,
        "metrics-listen": .hostAndPort,
        "epoch": .integer(maximum: Seq.maxEpoch),
        "retention": .duration,
        "max-log-bytes": .integer(maximum: UInt64(Int64.max)),
        "sync": .oneOf(SyncMode.allCases.map(\.rawValue)),
        "max-subscribers-per-address": .integer(maximum: UInt64(Int32.max)),
        "log-level": .oneOf(Logger.Level.allCases.map(\.rawValue)),
        "plc-url": .httpURL,
        "crawl": .text,
        "default-account-limit": .integer(maximum: UInt64(Int64.max)),
        "trusted-hosts": .text,
        "new-hosts-per-day": .integer(maximum: UInt64(Int32.max)),
        "new-host-cursor": .oneOf(NewHostCursor.allCases.map(\.rawValue)),
        "upstream-idle-timeout": .duration,
        "ingest-batch-window": .duration,
        "admin-token": .adminToken,
    ]
}
