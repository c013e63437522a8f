import ArgumentParser

/// A duration on the command line: `72h`, `30m`, `90s`, `500ms`, `250us`, or `0` for "no limit".
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
        // Longer suffixes first: `us` and `ms` also end in `s`.
        let units: [(String, Double)] = [
            ("us", 0.000_001), ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
        ]
        for (suffix, seconds) in units where argument.hasSuffix(suffix) {
            // Up to ~31 years: far past any setting, and the microsecond count cannot overflow.
            guard let number = Double(argument.dropLast(suffix.count)), number > 0, number.isFinite,
                number * seconds < 1e9
            else { return nil }
            duration = .microseconds(Int64((number * seconds * 1_000_000).rounded()))
            return
        }
        return nil
    }

    var description: String { text }
}
