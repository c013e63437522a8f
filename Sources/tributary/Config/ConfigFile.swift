import Foundation
import Yams

/// A YAML configuration file of one subcommand: keys are the long option names (`data-dir: /var/lib/tributary`),
/// flags take `true`/`false`, repeatable options take a list (or one value).
///
/// Parsing checks every key and value and collects all problems; the settings come out as the option values the
/// argument parser would read (`null` leaves an option unset).
struct ConfigFile: Equatable, Sendable {
    /// One option's setting: a flag's on/off, or the values to pass (one, or several for a list).
    enum Setting: Equatable, Sendable {
        case flag(Bool)
        case values([String])
    }

    /// Settings in file order.
    let settings: [(name: String, setting: Setting)]

    static func == (lhs: ConfigFile, rhs: ConfigFile) -> Bool {
        lhs.settings.elementsEqual(rhs.settings) { $0.name == $1.name && $0.setting == $1.setting }
    }

    /// The setting of `name`, if the file has one.
    func setting(_ name: String) -> Setting? { settings.first { $0.name == name }?.setting }

    /// Largest accepted file (a configuration is a few hundred bytes; this only stops accidents).
    static let maximumSize = 1 << 20

    /// Parses `text` against `options` and their value `rules`; throws every problem found.
    static func parse(
        _ text: String, path: String, options: [EnvironmentDefaults.Option], rules: [String: ConfigValueRule]
    ) throws(ConfigProblems) -> ConfigFile {
        guard text.utf8.count <= maximumSize else {
            throw ConfigProblems(path: path, problems: [.syntax("larger than \(maximumSize) bytes")])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigProblems(path: path, problems: [.syntax(Self.oneLine("\(error)"))])
        }
        guard let root else { return ConfigFile(settings: []) }  // an empty file sets nothing
        guard case .mapping(let mapping) = root else {
            throw ConfigProblems(path: path, problems: [.syntax("the top level must be a mapping of option: value")])
        }
        var settings: [(name: String, setting: Setting)] = []
        var problems: [ConfigProblem] = []
        var seen: Set<String> = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode, keyNode.hasTag(.str) else {
                problems.append(.syntax("keys must be option names"))
                continue
            }
            let key = keyScalar.string
            guard let option = options.first(where: { $0.name == key }) else {
                problems.append(.unknownKey(key, suggestion: suggestion(for: key, among: options.map(\.name))))
                continue
            }
            guard seen.insert(key).inserted else {
                problems.append(.syntax("'\(key)' is set twice"))
                continue
            }
            switch read(valueNode, option: option, rule: rules[key]) {
            case .success(let setting?): settings.append((key, setting))
            case .success(nil): break
            case .failure(let problem): problems.append(problem)
            }
        }
        guard problems.isEmpty else { throw ConfigProblems(path: path, problems: problems) }
        return ConfigFile(settings: settings)
    }

    /// Reads one value; `nil` for YAML `null` (the option stays unset).
    private static func read(_ node: Node, option: EnvironmentDefaults.Option, rule: ConfigValueRule?)
        -> Result<Setting?, ConfigProblem>
    {
        let key = option.name
        if case .scalar = node, node.hasTag(.null) { return .success(nil) }
        if option.isFlag {
            guard case .scalar = node, node.hasTag(.bool), let value = node.bool else {
                return .failure(.wrongType(key: key, expected: "true or false"))
            }
            return .success(.flag(value))
        }
        if option.isList {
            let items: [Node]
            switch node {
            case .sequence(let sequence): items = Array(sequence)
            case .scalar: items = [node]
            default: return .failure(.wrongType(key: key, expected: "a list of values"))
            }
            var values: [String] = []
            for item in items {
                guard case .scalar(let scalar) = item else {
                    return .failure(.wrongType(key: key, expected: "a list of single values"))
                }
                if let reason = rule?.refusal(of: scalar.string) {
                    return .failure(.badValue(key: key, value: scalar.string, reason: reason))
                }
                values.append(scalar.string)
            }
            return .success(.values(values))
        }
        guard case .scalar(let scalar) = node else {
            return .failure(.wrongType(key: key, expected: expectation(of: rule)))
        }
        guard !node.hasTag(.bool) else {
            return .failure(.wrongType(key: key, expected: expectation(of: rule) + ", not true/false"))
        }
        if let reason = rule?.refusal(of: scalar.string) {
            return .failure(.badValue(key: key, value: scalar.string, reason: reason))
        }
        return .success(.values([scalar.string]))
    }

    private static func expectation(of rule: ConfigValueRule?) -> String {
        if case .integer = rule { return "an integer" }
        return "a single value"
    }

    /// The known name closest to a misspelt key (edit distance ≤ 2), for the error line.
    static func suggestion(for key: String, among names: [String]) -> String? {
        let scored = names.map { ($0, distance(Array(key.utf8), Array($0.utf8))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }

    private static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The first line of a parser message (Yams appends the offending line and a caret below it).
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty } ?? "unreadable YAML"
    }
}

extension Node {
    /// Whether the node's resolved tag is `name` (`str`, `bool`, `int`, `null`, …).
    fileprivate func hasTag(_ name: Tag.Name) -> Bool { tag.rawValue == name.rawValue }
}
