// swift-tools-version:6.0
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "InForce",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "InForce", targets: ["InForce", "InForceRegistry", "InForceHTML", "InForceOffice", "InForceReports"]),
        .executable(name: "inforce", targets: ["inforce"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // libxml2, the project's only HTML/XML parser, wrapped once.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // SQLite, the derived store's engine, wrapped once (Store/SQLite.swift).
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The domain: numbers, records, vocabulary. No file system, no terminal, no C.
        .target(name: "InForce", swiftSettings: strictSettings),
        // libxml2 behind Swift types; nothing else sees a pointer.
        .target(name: "InForceHTML", dependencies: ["InForce", "CLibXML2"], swiftSettings: strictSettings),
        // Word and Excel files (unzipped with limits, parts read with libxml2), and the legacy
        // formats and PDFs LibreOffice and poppler turn into them. The zip directory and the
        // inflating are its own (ZipDirectory.swift); of ZIPFoundation it uses only the zlib
        // module (CZlib) that package declares on Linux.
        .target(
            name: "InForceOffice",
            dependencies: ["InForce", "InForceHTML", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strictSettings
        ),
        // The registry on disk: TOML files, atomic writes, the lock, lint, and the derived store.
        .target(
            name: "InForceRegistry",
            dependencies: [
                "InForce", "InForceHTML", "InForceOffice", "CSQLite",
                .product(name: "TOMLKit", package: "TOMLKit"), .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: strictSettings
        ),
        // Reports: text, Markdown, HTML with SVG pictures, CSV; graphs as DOT and SVG.
        .target(
            name: "InForceReports",
            dependencies: ["InForce", .product(name: "CSV", package: "CSV.swift")],
            swiftSettings: strictSettings
        ),
        // The command-line face.
        .executableTarget(
            name: "inforce",
            dependencies: [
                "InForce", "InForceRegistry", "InForceHTML", "InForceOffice", "InForceReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // What the test targets share: finding ../shared/corpus, temporary registries.
        .target(
            name: "InForceTestSupport", dependencies: ["InForce", .product(name: "ZIPFoundation", package: "ZIPFoundation")], path: "Tests/Support",
            swiftSettings: strictSettings
        ),
        // Benchmarks, run by hand in release mode; never part of `swift test`.
        .executableTarget(
            name: "inforce-bench",
            dependencies: [
                "InForce", "InForceHTML", "InForceRegistry", "InForceOffice", "InForceReports", "InForceTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "InForceTests", dependencies: ["InForce", "InForceTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "InForceRegistryTests",
            dependencies: [
                "InForceRegistry", "InForce", "InForceHTML", "InForceOffice", "InForceReports", "InForceTestSupport",
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "InForceCLITests",
            dependencies: ["inforce", "InForce", "InForceTestSupport"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
