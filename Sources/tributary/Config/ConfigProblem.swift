/// One thing wrong with a configuration file; `description` is the line printed for it.
enum ConfigProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The text is not YAML (or the top level is not a mapping).
    case syntax(String)
    /// A key that is no option of the command.
    case unknownKey(String, suggestion: String?)
    /// A value of the wrong kind (e.g. a list where one value is expected).
    case wrongType(key: String, expected: String)
    /// A value of the right kind that the option refuses.
    case badValue(key: String, value: String, reason: String)

    var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .syntax(let reason):
            "not a valid configuration: \(reason)"
        case .unknownKey(let key, let suggestion):
            "unknown key '\(key)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case .wrongType(let key, let expected):
            "'\(key)' must be \(expected)"
        case .badValue(let key, let value, let reason):
            "'\(key)': bad value '\(value)': \(reason)"
        }
    }
}

/// Every problem found in one configuration file (reported together, one line each).
struct ConfigProblems: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file the problems are in.
    let path: String
    /// The problems, in file order.
    let problems: [ConfigProblem]

    /// One line per problem, prefixed with the file.
    var lines: [String] { problems.map { "\(path): \($0)" } }

    var description: String { lines.joined(separator: "\n") }
}
