// swift-tools-version:6.1
import PackageDescription

#if os(Linux)
    import Glibc

    /// The `chorus` executable is linked by LLVM's linker, which comes with the Swift toolchain, and its relative
    /// relocations are packed when this machine's C library can load them (glibc 2.36 and later). The dynamic loader
    /// then reads 15 KB of relocations at start instead of 1.7 MB, and a serving process keeps about 2 MB less memory.
    let leanLinking: [LinkerSetting] = {
        var version = [CChar](repeating: 0, count: 64)
        _ = confstr(Int32(_CS_GNU_LIBC_VERSION), &version, version.count)
        let text = String(decoding: version.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let numbers = text.split(separator: " ").last?.split(separator: ".").compactMap { Int($0) } ?? []
        let packsRelocations = numbers.count >= 2 && (numbers[0], numbers[1]) >= (2, 36)
        return [.unsafeFlags(["-use-ld=lld"] + (packsRelocations ? ["-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"] : []))]
    }()
#else
    let leanLinking: [LinkerSetting] = []
#endif

let package = Package(
    name: "chorus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chorus", targets: ["chorus"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(
            name: "ChorusCore",
            resources: [.process("Resources")]
        ),
        .target(name: "ChorusSQLiteConfig"),
        .target(
            name: "ChorusStore",
            dependencies: [
                "ChorusCore",
                "ChorusSQLiteConfig",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "ChorusWeb",
            dependencies: [
                "ChorusCore",
                "ChorusStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            resources: [.copy("Templates"), .copy("Static"), .copy("Strings"), .copy("OpenAPI/openapi.yaml")]
        ),
        .executableTarget(
            name: "chorus",
            dependencies: [
                "ChorusCore",
                "ChorusStore",
                "ChorusWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            linkerSettings: leanLinking
        ),
        .target(
            name: "ChorusTestSupport",
            dependencies: ["ChorusStore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/ChorusTestSupport"
        ),
        .testTarget(name: "ChorusCoreTests", dependencies: ["ChorusCore"]),
        .testTarget(
            name: "ChorusStoreTests",
            dependencies: ["ChorusCore", "ChorusStore", "ChorusTestSupport"]
        ),
        .testTarget(
            name: "ChorusWebTests",
            dependencies: [
                "ChorusCore",
                "ChorusStore",
                "ChorusWeb",
                "ChorusTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Benchmarks stay out of the default build: `CHORUS_BENCHMARKS=1 swift run -c release ClassifierBenchmarks`.
if Context.environment["CHORUS_BENCHMARKS"] != nil {
    package.targets.append(
        .executableTarget(name: "ClassifierBenchmarks", dependencies: ["ChorusCore"], path: "Benchmarks/ClassifierBenchmarks")
    )
}
