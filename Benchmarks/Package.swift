// swift-tools-version: 6.1
// Benchmarks for Tributary (package-benchmark). Run from this folder: `swift package benchmark`
// (or `make bench` at the top). Kept as a separate package so the main build and CI stay lean.
import Foundation
import PackageDescription

// A path dependency's identity is its folder name (the checkout's name, which varies), so compute it.
let tributary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let package = Package(
    name: "TributaryBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ATDataBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ATData", package: tributary),
            ],
            path: "Benchmarks/ATDataBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ATCryptoBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ATCrypto", package: tributary),
                .product(name: "ATData", package: tributary),
            ],
            path: "Benchmarks/ATCryptoBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ATRepoBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ATRepo", package: tributary),
                .product(name: "ATData", package: tributary),
            ],
            path: "Benchmarks/ATRepoBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "EventLogBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "EventLog", package: tributary),
                .product(name: "ATData", package: tributary),
            ],
            path: "Benchmarks/EventLogBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
