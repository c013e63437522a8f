// swift-tools-version: 6.1
// Fuzz targets for Tributary's decoders (libFuzzer). Built only by `Fuzz/fuzz.sh` (or `make fuzz`) with
// `-sanitize=fuzzer,address`, which supplies `main`; a plain `swift build` here cannot link them.
import Foundation
import PackageDescription

// A path dependency's identity is its folder name (the checkout's name, which varies), so compute it.
let tributary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

/// One fuzz executable per decoder; each defines `LLVMFuzzerTestOneInput` and links FuzzSupport.
func fuzzTarget(_ name: String, _ products: [String], extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: tributary) } + extra,
        path: "Targets/\(name)",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])])
}

let package = Package(
    name: "TributaryFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        // The query-parameter target parses URIs with Hummingbird, as the route does.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "ATData", package: tributary),
                .product(name: "ATCrypto", package: tributary),
                .product(name: "ATRepo", package: tributary),
                .product(name: "Firehose", package: tributary),
            ],
            path: "Support"),
        fuzzTarget("FuzzDAGCBOR", ["ATData"]),
        fuzzTarget("FuzzCID", ["ATData"]),
        fuzzTarget("FuzzCAR", ["ATData"]),
        fuzzTarget("FuzzFrame", ["ATData", "Firehose"]),
        fuzzTarget("FuzzCommit", ["ATData", "ATCrypto", "ATRepo", "Firehose"]),
        fuzzTarget("FuzzMST", ["ATData", "ATRepo"]),
        fuzzTarget("FuzzDIDDocument", ["ATIdentity"]),
        fuzzTarget(
            "FuzzSubscribeParameters", ["RelayHTTP"],
            extra: [.product(name: "HummingbirdCore", package: "hummingbird")]),
    ]
)
