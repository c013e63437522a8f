import ArgumentParser

/// A duration on the command line: `72h`, `30m`, `90s`, `500ms`, or `0` for "no limit".
struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let duration: Duration?
    let text: String

    init(duration: Duration?, text: String) {
        self.duration = duration
        self.text = text
    }

    init?(argument: String) {
        text = argument
        if argument == "0" {
            duration = nil
            return
        }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, seconds) in units where argument.hasSuffix(suffix) {
            guard let number = Double(argument.dropLast(suffix.count)), number > 0, number.isFinite else { return nil }
            duration = .milliseconds(Int64(number * seconds * 1000))
            return
        }
        return nil
    }

    var description: String { text }
}
