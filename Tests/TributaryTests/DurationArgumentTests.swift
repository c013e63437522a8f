import Testing

@testable import tributary

/// Durations on the command line and in the config file: every unit, fractions, `0`, and what is refused.
@Suite struct DurationArgumentTests {
    @Test func parsesEveryUnit() {
        #expect(DurationArgument(argument: "500us")?.duration == .microseconds(500))
        #expect(DurationArgument(argument: "0.5ms")?.duration == .microseconds(500))
        #expect(DurationArgument(argument: "250ms")?.duration == .milliseconds(250))
        #expect(DurationArgument(argument: "90s")?.duration == .seconds(90))
        #expect(DurationArgument(argument: "30m")?.duration == .seconds(1_800))
        #expect(DurationArgument(argument: "72h")?.duration == .seconds(259_200))
        #expect(DurationArgument(argument: "7d")?.duration == .seconds(604_800))
        #expect(DurationArgument(argument: "0") != nil)
        #expect(DurationArgument(argument: "0")?.duration == nil)
    }

    @Test func refusesWhatIsNotADuration() {
        for text in ["", "5", "s", "-3s", "0s", "1e30s", "nan s", "infs", "3 weeks", "12us3"] {
            #expect(DurationArgument(argument: text) == nil, "\(text)")
        }
    }
}
