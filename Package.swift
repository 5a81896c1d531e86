// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Sweepline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sweepline", targets: ["sweepline"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // https:// endpoints for the load generator, and TLS for the simulated engine's server.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // SHA-256 of agent credentials (already built for swift-nio-ssl's neighbours), and
        // certificates read and, in tests, made.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
    ],
    targets: [
        // The dependency direction is the architecture (docs/architecture.md):
        //   Wire ← Results ← LoadGenerator
        //   Wire ← Catalog ← Simulator (also ← Results) ← SimServer
        //   Agent on all of those; Coordinator on Wire, Catalog, Results; SweeplineCLI on everything.

        // What agent and coordinator say to each other: frames, the NDJSON codec, and the model the
        // wire carries (ids, job specs, workloads, request records). No I/O beyond NIOCore's buffers.
        .target(
            name: "Wire",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // The public facts Sweepline ships (GPUs with their price and power, model architectures)
        // and the YAML field reader that catalog, job and sweep files share.
        .target(
            name: "Catalog",
            dependencies: ["Wire", .product(name: "Yams", package: "Yams")],
            resources: [.copy("CatalogData")]
        ),
        // What the measurements mean: metrics.md's figures, validity, point results, frontiers,
        // economics, comparisons. Pure.
        .target(name: "Results", dependencies: ["Wire"]),
        // The simulated GPU engine: engine core, kernel cost model, virtual-time runs. Pure.
        .target(name: "Simulator", dependencies: ["Wire", "Catalog", "Results"]),
        // The simulated engine behind an OpenAI-compatible HTTP server, on the wall clock.
        .target(
            name: "SimServer",
            dependencies: [
                "Wire", "Simulator",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The benchmark kernel: closed- and open-loop clients of an OpenAI-compatible endpoint on
        // event loops of their own. Used by the agent and by `sweepline bench`.
        .target(
            name: "LoadGenerator",
            dependencies: [
                "Wire", "Results",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // fork and exec of a workload with what posix_spawn cannot do: a parent-death signal and
        // a change of user. C, because Swift may not run between fork and exec.
        .target(name: "CWorkloadSpawn"),
        // The daemon on a GPU node: its link to the coordinator, job runners, engine adapters,
        // GPU discovery and telemetry.
        .target(
            name: "Agent",
            dependencies: [
                "Wire", "Catalog", "Results", "Simulator", "SimServer", "LoadGenerator", "CWorkloadSpawn",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The daemon that owns the fleet: scheduler core, agent listener, store, HTTP API, sweep
        // expansion, nightly schedules, aggregation of records into point results.
        .target(
            name: "Coordinator",
            dependencies: [
                "Wire", "Catalog", "Results",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The operator and daemon commands and the HTML report; the executable only calls into this.
        .target(
            name: "SweeplineCLI",
            dependencies: [
                "Wire", "Catalog", "Results", "Simulator", "SimServer", "LoadGenerator", "Coordinator", "Agent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "sweepline",
            dependencies: ["SweeplineCLI", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "SweeplineBenchmarks",
            dependencies: [
                "Wire", "Results", "Simulator", "SimServer", "LoadGenerator", "Coordinator", "Agent", "SweeplineCLI",
                "TestPKI", .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "benchmarks",
            // Scripts and the C tools they build, not part of the Swift target.
            exclude: ["client-cost", "machine-lag", "peers", "regressions", "sim-engine-cpu"]
        ),
        // A private CA made on the spot, for the tests and benchmarks of the agent link's TLS.
        .target(
            name: "TestPKI",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            path: "Tests/Support/TestPKI"
        ),
        // Seeded random and mutated inputs for the fuzz tests.
        .target(name: "Fuzzing", dependencies: ["Wire"], path: "Tests/Support/Fuzzing"),
        .target(name: "OffThePool", path: "Tests/Support/OffThePool"),
        .testTarget(
            name: "WireTests",
            dependencies: [
                "Wire", "Fuzzing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "Wire"]),
        .testTarget(name: "ResultsTests", dependencies: ["Results", "Catalog", "Wire"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "Catalog", "Wire", "Results", "OffThePool"]),
        .testTarget(
            name: "SimServerTests",
            dependencies: [
                "SimServer", "Simulator", "Catalog", "Results", "Wire", "LoadGenerator",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "LoadGeneratorTests",
            dependencies: [
                "LoadGenerator", "Wire", "Results", "Catalog", "Simulator", "SimServer", "Fuzzing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AgentTests",
            dependencies: [
                "Agent", "Wire", "Catalog", "Results", "Simulator", "SimServer", "LoadGenerator",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CoordinatorTests",
            dependencies: [
                "Coordinator", "Wire", "Catalog", "Results", "Fuzzing", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SweeplineCLITests", dependencies: ["SweeplineCLI", "Results", "Wire", "Catalog", "OffThePool"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "Wire", "Catalog", "Results", "Simulator", "LoadGenerator", "Coordinator", "Agent", "SweeplineCLI",
                "TestPKI", "Fuzzing", "OffThePool", .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
