// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "lyceum",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "learning", targets: ["LearningService"]),
        .executable(name: "gamification", targets: ["GamificationService"]),
        .executable(name: "leads", targets: ["LeadsService"]),
        .executable(name: "ai-usage", targets: ["AIUsageService"]),
        .executable(name: "lyceum", targets: ["Launcher"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0",
                 traits: [.defaults, "CommandLineArguments"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // Foundation only: the wire contract every service shares.
        .target(name: "Contracts"),
        .systemLibrary(
            name: "CZeroMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        .target(name: "MessageBus", dependencies: [
            "CZeroMQ",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ServiceKit", dependencies: [
            "Contracts", "MessageBus",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Configuration", package: "swift-configuration"),
        ]),
        .target(name: "Learning", dependencies: ["ServiceKit", "Contracts"]),
        .target(name: "Gamification", dependencies: ["ServiceKit", "Contracts"]),
        // Google's libphonenumber (Debian: libphonenumber-dev) behind a C interface Swift calls.
        .target(name: "CPhoneNumbers", linkerSettings: [.linkedLibrary("phonenumber"), .linkedLibrary("protobuf")]),
        .target(name: "Leads", dependencies: [
            "ServiceKit", "Contracts", "CPhoneNumbers",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .target(name: "AIUsage", dependencies: ["ServiceKit", "Contracts"]),
        // Used by the test targets only: a throwaway PostgreSQL and in-process service wiring.
        .target(name: "LyceumTestSupport", dependencies: [
            "ServiceKit",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Configuration", package: "swift-configuration"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .executableTarget(name: "LearningService", dependencies: ["Learning", "ServiceKit"],
                          path: "services/learning", exclude: ["README.md"]),
        .executableTarget(name: "GamificationService", dependencies: ["Gamification", "ServiceKit"],
                          path: "services/gamification", exclude: ["README.md"]),
        .executableTarget(name: "LeadsService", dependencies: ["Leads", "ServiceKit"],
                          path: "services/leads", exclude: ["README.md"]),
        .executableTarget(name: "AIUsageService", dependencies: ["AIUsage", "ServiceKit"],
                          path: "services/ai-usage", exclude: ["README.md"]),
        .executableTarget(name: "Launcher", dependencies: [
            "ServiceKit", "Contracts", "MessageBus", "Gamification",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),

        .testTarget(name: "ContractsTests", dependencies: ["Contracts"]),
        .testTarget(name: "MessageBusTests", dependencies: [
            "MessageBus", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ServiceKitTests", dependencies: [
            "ServiceKit", "Contracts", "MessageBus", "LyceumTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "LearningTests", dependencies: [
            "Learning", "ServiceKit", "Contracts", "LyceumTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "GamificationTests", dependencies: [
            "Gamification", "Learning", "ServiceKit", "Contracts", "MessageBus", "LyceumTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "LeadsTests", dependencies: [
            "Leads", "ServiceKit", "Contracts", "LyceumTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "AIUsageTests", dependencies: [
            "AIUsage", "ServiceKit", "Contracts", "MessageBus", "LyceumTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "ArchitectureTests", dependencies: ["Contracts"]),
        .testTarget(name: "SystemTests", dependencies: ["ServiceKit", "LyceumTestSupport"]),
    ]
)
