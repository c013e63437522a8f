import Foundation

/// Feeds `--config FILE` into the command line: after the environment (``EnvironmentDefaults``), each file setting
/// is appended for an option given neither on the command line nor in the environment, so the precedence is
/// flag > environment > file > built-in default.
enum ConfigFileDefaults {
    /// The file keys and value rules per subcommand that takes `--config`.
    static let commands: [String: (options: [EnvironmentDefaults.Option], rules: [String: ConfigValueRule])] = [
        "serve": (Serve.configFileOptions, Serve.configRules),
    ]

    /// `arguments` (without the program name) with environment values, then configuration file values, appended.
    static func apply(
        to arguments: [String], environment: [String: String],
        readFile: (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws(ConfigProblems) -> [String] {
        var result = EnvironmentDefaults.apply(to: arguments, environment: environment)
        guard let command = arguments.first, let known = commands[command], let path = configPath(in: result)
        else { return result }
        let text: String
        do {
            text = try readFile(path)
        } catch {
            let reason = (error as? CocoaError)?.underlying?.localizedDescription ?? error.localizedDescription
            throw ConfigProblems(path: path, problems: [.unreadable(path: path, reason: reason)])
        }
        let file = try ConfigFile.parse(text, path: path, options: known.options, rules: known.rules)
        let given = result
        for (name, setting) in file.settings {
            let flag = "--" + name
            let onCommandLine = given.contains { $0 == flag || $0.hasPrefix(flag + "=") }
            // An environment value wins even when it turned a flag off (and so added nothing to the arguments).
            let inEnvironment = environment[EnvironmentDefaults.variable(for: name)] != nil
            guard !onCommandLine, !inEnvironment else { continue }
            switch setting {
            case .flag(true): result.append(flag)
            case .flag(false): break
            case .values(let values):
                for value in values { result.append(contentsOf: [flag, value]) }
            }
        }
        return result
    }

    /// The value of `--config` (`--config FILE` or `--config=FILE`), the last one if repeated.
    static func configPath(in arguments: [String]) -> String? {
        var path: String?
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" { break }
            if argument == "--config", index + 1 < arguments.endIndex {
                path = arguments[index + 1]
                index += 1
            } else if argument.hasPrefix("--config=") {
                path = String(argument.dropFirst("--config=".count))
            }
            index += 1
        }
        return path
    }
}

extension CocoaError {
    /// The POSIX error behind a file error, if any (its text is the useful part: "No such file or directory").
    fileprivate var underlying: NSError? { userInfo[NSUnderlyingErrorKey] as? NSError }
}
