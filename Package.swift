// swift-tools-version: 6.1
// Tributary: an AT Protocol relay. Module layout follows docs/design (data → crypto → repo/identity → log →
// ingest/serve → CLI); dependencies only point downwards.
import PackageDescription

let package = Package(
    name: "Tributary",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tributary", targets: ["tributary"]),
        .library(name: "ATData", targets: ["ATData"]),
        .library(name: "ATCrypto", targets: ["ATCrypto"]),
        .library(name: "ATIdentity", targets: ["ATIdentity"]),
        .library(name: "ATRepo", targets: ["ATRepo"]),
        .library(name: "EventLog", targets: ["EventLog"]),
        .library(name: "Firehose", targets: ["Firehose"]),
        // For Fuzz/ (the subscribeRepos query-parameter target).
        .library(name: "RelayHTTP", targets: ["RelayHTTP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // `tributary serve --config`: the YAML configuration file.
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
    ],
    targets: [
        // C libraries through tiny system-library targets (module map + shim header).
        .systemLibrary(
            name: "CLMDB", pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(
            name: "CSecp256k1", pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // SHA-256 without a per-call allocation (MST key layers and block CIDs on the verification hot path).
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // The executable's allocator on Linux: glibc's malloc spent ~12 % of the relay's CPU on the several-KiB
        // frames, CARs and blocks of every event (docs/operating.md, BENCHMARKS.md).
        .systemLibrary(name: "CJemalloc", pkgConfig: "jemalloc", providers: [.apt(["libjemalloc-dev"])]),

        .target(name: "ATData", dependencies: ["COpenSSL", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "ATCrypto",
            dependencies: ["ATData", "CSecp256k1", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "ATIdentity",
            dependencies: [
                "ATData", "ATCrypto",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "ATRepo", dependencies: ["ATData", "ATCrypto"]),
        .target(
            name: "EventLog",
            dependencies: [
                "ATData", "CLMDB",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Child process for EventLogTests' crash test (appends batches until killed).
        .executableTarget(name: "EventLogCrashWriter", dependencies: ["EventLog"]),
        .target(
            name: "Firehose",
            dependencies: [
                "ATData", "ATRepo", "CZlib",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                // NIOWebSocketError: a frame over the size limit is reported as a bad frame, not a transport failure.
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Relay",
            dependencies: [
                "ATData", "ATCrypto", "ATIdentity", "ATRepo", "EventLog", "Firehose",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .target(
            name: "RelayHTTP",
            dependencies: [
                "Relay", "EventLog", "Firehose", "ATData", "CZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Simulator",
            dependencies: [
                "ATData", "ATCrypto", "ATRepo", "Firehose",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "tributary",
            dependencies: [
                "ATData", "ATCrypto", "ATIdentity", "ATRepo", "EventLog", "Firehose", "Relay", "RelayHTTP",
                "Simulator",
                .target(name: "CJemalloc", condition: .when(platforms: [.linux])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `bench serve`: the loopback ceiling server and the raw-NIO benchmark clients.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]),

        .testTarget(
            name: "ATDataTests", dependencies: ["ATData", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "ATCryptoTests", dependencies: ["ATCrypto", "ATData"]),
        .testTarget(
            name: "ATIdentityTests",
            dependencies: [
                "ATIdentity", "ATCrypto", "ATData",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "ATData", "EventLogCrashWriter"]),
        .testTarget(
            name: "FirehoseTests",
            dependencies: [
                "Firehose", "ATRepo", "ATData",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ]),
        .testTarget(
            name: "RelayHTTPTests",
            dependencies: [
                "RelayHTTP", "Relay", "EventLog", "Firehose", "ATRepo", "ATData", "ATCrypto",
                // The graceful-shutdown test runs the built `tributary serve`.
                "tributary",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSCompression", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
        .testTarget(
            name: "RelayTests",
            dependencies: [
                // `tributary` is built next to the tests: CrashRecoveryTests runs and kills `tributary serve`.
                "Relay", "EventLog", "Firehose", "ATRepo", "ATData", "ATCrypto", "ATIdentity", "Simulator", "tributary",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "RelayHTTP", "Relay", "Simulator", "Firehose", "EventLog", "ATRepo", "ATData", "ATCrypto",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "SimulatorTests",
            dependencies: [
                "Simulator", "ATIdentity", "ATRepo", "ATData", "ATCrypto", "Firehose",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
        .testTarget(
            name: "TributaryTests",
            dependencies: [
                "tributary", "Simulator", "Firehose", "ATIdentity", "ATRepo", "ATData", "ATCrypto", "EventLog",
                // The deploy/ files (compose, Prometheus, Grafana provisioning) are parsed as YAML.
                .product(name: "Yams", package: "Yams"),
            ]),
        .testTarget(
            name: "ATRepoTests",
            dependencies: ["ATRepo", "ATData", "ATCrypto", .product(name: "Crypto", package: "swift-crypto")]),
    ]
)
