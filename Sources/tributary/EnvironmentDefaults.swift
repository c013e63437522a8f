import Foundation

/// Every command-line flag can also come from the environment as `TRIBUTARY_<FLAG>` (dashes become underscores,
/// upper case): a flag given on the command line wins over the environment.
enum EnvironmentDefaults {
    /// A long option of a subcommand; `isFlag` options take no value (set by `1`/`true`/`yes`).
    struct Option {
        let name: String
        let isFlag: Bool
        /// Repeatable options take a comma- or space-separated list from the environment.
        var isList = false
    }

    /// Options per subcommand name.
    static let options: [String: [Option]] = [
        "serve": Serve.environmentOptions,
        "sim": Sim.environmentOptions,
        "tail": Tail.environmentOptions,
    ]

    /// The environment variable of an option.
    static func variable(for name: String) -> String {
        "TRIBUTARY_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// `arguments` (without the program name) with environment values appended for options not given.
    static func apply(to arguments: [String], environment: [String: String]) -> [String] {
        guard let command = arguments.first, let known = options[command] else { return arguments }
        var result = arguments
        for option in known {
            let flag = "--" + option.name
            let given = arguments.contains { $0 == flag || $0.hasPrefix(flag + "=") }
            guard !given, let value = environment[variable(for: option.name)] else { continue }
            if option.isFlag {
                if ["1", "true", "yes"].contains(value.lowercased()) { result.append(flag) }
            } else if option.isList {
                for item in value.split(whereSeparator: { $0 == "," || $0 == " " }) {
                    result.append(contentsOf: [flag, String(item)])
                }
            } else {
                result.append(contentsOf: [flag, value])
            }
        }
        return result
    }
}
