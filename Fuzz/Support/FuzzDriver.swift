/// libFuzzer's entry point for programs that have their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer. SwiftPM links every executable's `main` to `<Target>_main`, so each target defines that symbol
/// and hands its `LLVMFuzzerTestOneInput` to the driver here (which also calls `LLVMFuzzerInitialize`).
public enum FuzzDriver {
    /// Parses libFuzzer's flags from the command line and fuzzes `testOneInput`.
    public static func run(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt {
        var count = argc
        var arguments = argv
        return withUnsafeMutablePointer(to: &count) { countPointer in
            withUnsafeMutablePointer(to: &arguments) { argumentsPointer in
                LLVMFuzzerRunDriver(countPointer, argumentsPointer, testOneInput)
            }
        }
    }
}

/// `LLVMFuzzerInitialize`'s `argv` parameter.
public typealias FuzzArguments = UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
