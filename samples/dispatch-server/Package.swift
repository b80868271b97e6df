// swift-tools-version: 6.1
// The dispatch server sample: TwinGeo embedded in a Hummingbird 2 HTTP service.
// A package of its own so the library's build stays light; it depends on the root package by path.
import PackageDescription

let package = Package(
    name: "dispatch-server",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dispatch-server", targets: ["dispatch-server"]),
    ],
    dependencies: [
        .package(name: "TwinGeo", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The server as a library: routes, JSON, the reloadable twin holder, metrics. Tests drive it in-process.
        .target(
            name: "DispatchServer",
            dependencies: [
                .product(name: "TwinGeo", package: "TwinGeo"),
                .product(name: "TwinIndex", package: "TwinGeo"),
                .product(name: "TwinSamples", package: "TwinGeo"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // The executable: flags and environment → configuration → run until SIGTERM/SIGINT; SIGHUP reloads.
        .executableTarget(
            name: "dispatch-server",
            dependencies: [
                "DispatchServer",
                .product(name: "TwinSamples", package: "TwinGeo"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DispatchServerTests",
            dependencies: [
                "DispatchServer",
                .product(name: "TwinSamples", package: "TwinGeo"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
