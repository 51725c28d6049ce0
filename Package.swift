// swift-tools-version:6.0
import PackageDescription

// Toolchain only: this package declares no package dependencies, by design.
let package = Package(
    name: "mandrill",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mandrill", targets: ["mandrill"]),
        .executable(name: "mandrill-bench", targets: ["mandrill-bench"]),
        .library(name: "MandrillCore", targets: ["MandrillCore"]),
    ],
    targets: [
        .target(name: "MandrillCore"),
        .executableTarget(name: "mandrill", dependencies: ["MandrillCore"]),
        // Starts a private redis-server for the tests and the benchmark; not in any product.
        .target(name: "RedisServerLauncher", dependencies: ["MandrillCore"]),
        .executableTarget(name: "mandrill-bench", dependencies: ["MandrillCore", "RedisServerLauncher"]),
        .testTarget(name: "MandrillCoreTests", dependencies: ["MandrillCore", "RedisServerLauncher"]),
        .testTarget(name: "MandrillProcessTests", dependencies: ["MandrillCore", "RedisServerLauncher", "mandrill"]),
    ],
    swiftLanguageModes: [.v6]
)
