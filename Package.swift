// swift-tools-version: 6.1
// TwinGeo: the spatial core of a city-district digital twin.
// Dependency direction (shared/DESIGN.md): twin-tool, CTwin -> TwinGeo -> TwinIndex;
// TwinGeo -> CGEOS, CPROJ, CSQLite (Debian -dev packages through pkg-config).
import PackageDescription

let package = Package(
    name: "TwinGeo",
    products: [
        .library(name: "TwinIndex", targets: ["TwinIndex"]),
        .library(name: "TwinGeo", targets: ["TwinGeo"]),
        // The seeded sample district: tests and samples (the dispatch server) build their twins from it.
        .library(name: "TwinSamples", targets: ["TwinSamples"]),
        .executable(name: "twin-tool", targets: ["twin-tool"]),
        .executable(name: "twin-bench", targets: ["TwinBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C libraries from the system. shim.h defines GEOS_USE_ONLY_R_API.
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Pure Swift hot paths: packed R-tree and the point-in-partition locator.
        .target(
            name: "TwinIndex",
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))],
            // Double.squareRoot() can lower to libm's sqrt; link it so users need not import Glibc.
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        // The domain: geometry, I/O, CRS, GEOS/PROJ/SQLite bridges.
        .target(name: "TwinGeo", dependencies: ["TwinIndex", "CGEOS", "CPROJ", "CSQLite"]),
        // The C ABI shell over TwinGeo (include/twin.h).
        .target(name: "CTwin", dependencies: ["TwinGeo"]),
        // The deterministic sample district (grids, assets, events) for tests, benchmarks and the demo.
        .target(name: "TwinSamples", dependencies: ["TwinGeo"]),
        .executableTarget(
            name: "twin-tool",
            dependencies: ["TwinGeo", "TwinSamples", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Benchmarks: a release executable that measures TwinIndex against GEOS in one run.
        .executableTarget(
            name: "TwinBench",
            dependencies: ["TwinIndex", "TwinGeo", "CGEOS"],
            path: "Benchmarks/TwinBench"
        ),

        .testTarget(name: "TwinIndexTests", dependencies: ["TwinIndex"]),
        .testTarget(name: "TwinGeoTests", dependencies: ["TwinGeo", "CGEOS"], resources: [.copy("Oracles")]),
        .testTarget(name: "CTwinTests", dependencies: ["CTwin"]),
        .testTarget(name: "TwinSamplesTests", dependencies: ["TwinSamples", "TwinGeo"]),
        // Runs the built twin-tool binary and compares whole outputs and exit codes.
        .testTarget(name: "TwinToolTests", dependencies: ["twin-tool", "TwinGeo", "TwinSamples"]),
    ]
)
