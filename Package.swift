// swift-tools-version:6.1
import PackageDescription

// The KK-over-WhatsApp monorepo: six services and a gateway over Kafka, with
// PostgreSQL as the system of record. See README.md and ../shared/DESIGN.md.
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let serviceLifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let x509 = Target.Dependency.product(name: "X509", package: "swift-certificates")
let asn1 = Target.Dependency.product(name: "SwiftASN1", package: "swift-asn1")

/// The programs, each a folder of commands over the shared libraries (`executable`).
/// The production image ships the first eight; kk-dev and kk-bench are for development.
let executables: [(name: String, path: String, dependencies: [Target.Dependency])] = [
    ("kk-admin", "Services/Admin", ["KKRuntime", "KKReports", "KKDomain", "Kafka", "Postgres", crypto]),
    (
        "kk-gateway", "Services/Gateway",
        [
            "KKRuntime", "KKDomain", "Postgres", "Hex", hummingbird, crypto, serviceLifecycle,
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]
    ),
    ("kk-intake", "Services/Intake", ["KKRuntime", "KKDomain", "Postgres"]),
    ("kk-entry", "Services/DataEntry", ["KKRuntime", "KKDomain", "Postgres"]),
    ("kk-verify", "Services/Verification", ["KKRuntime", "KKDomain", "Postgres"]),
    ("kk-sign", "Services/Signing", ["KKRuntime", "KKDomain", "KKDocument", "KKSigning", "Postgres", "Hex", crypto, x509, asn1]),
    ("kk-deliver", "Services/Delivery", ["KKRuntime", "KKDomain", "Postgres", serviceLifecycle]),
    ("kk-archive", "Services/Archive", ["KKRuntime", "KKDomain", "Postgres", "Hex", crypto, serviceLifecycle]),
    // Development tools, kept out of the production executables and image (deploy/Dockerfile).
    ("kk-dev", "Services/Dev", ["KKRuntime", "KKDomain", "KKSigning", "Hex", hummingbird, crypto, serviceLifecycle]),
    ("kk-bench", "Benchmarks/KKBench", ["Kafka", "Postgres", "KKDomain", "KKDocument", "KKSigning", "KKLoad"]),
]

/// One program: its commands parsed by ArgumentParser (penny-bot's habit: many executables, one helper).
func executable(_ program: (name: String, path: String, dependencies: [Target.Dependency])) -> Target {
    .executableTarget(name: program.name, dependencies: program.dependencies + [argumentParser], path: program.path)
}

let package = Package(
    name: "kk-whatsapp",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "Postgres", targets: ["Postgres"]),
        .library(name: "KKDomain", targets: ["KKDomain"]),
        .library(name: "KKRuntime", targets: ["KKRuntime"]),
        .library(name: "KKDocument", targets: ["KKDocument"]),
        .library(name: "KKSigning", targets: ["KKSigning"]),
    ] + executables.map { .executable(name: $0.name, targets: [$0.name]) },
    // Exact versions: every build resolves the same packages, and deploy/build/versions.lock
    // (checked by deploy/build/check-versions.sh after each resolve) pins the indirect ones too.
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/apple/swift-certificates.git", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", exact: "1.7.4"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", exact: "1.1.4"),
    ],
    targets: [
        // System libraries: librdkafka (>= 2.2, see deploy/local/setup.sh) and libpq.
        .systemLibrary(
            name: "CKafka", path: "Shared/CKafka", pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(
            name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "CCairo", path: "Shared/CCairo", pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(
            name: "CQRencode", path: "Shared/CQRencode", pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]),

        // Swift wrappers.
        // Blocking C calls (librdkafka, libpq) kept off Swift's cooperative pool, written once.
        .target(name: "BlockingQueue", path: "Shared/BlockingQueue"),
        // Every librdkafka call is in Shared/Kafka/RDKafka; the public Kafka* types are plain Swift.
        .target(name: "Kafka", dependencies: ["CKafka", "BlockingQueue", logging], path: "Shared/Kafka"),
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ", "BlockingQueue", "Hex", logging, crypto],
            path: "Shared/Postgres"),

        // Lower-case hexadecimal text of bytes (digests, HMACs), written once.
        .target(name: "Hex", path: "Shared/Hex"),

        // The SOP as types.
        .target(name: "KKDomain", path: "Shared/KKDomain"),

        // The KK as a PDF (cairo, embedded fonts, QR code).
        .target(name: "KKDocument", dependencies: ["KKDomain", "CCairo", "CQRencode"], path: "Shared/KKDocument"),

        // PDF signatures: incremental update, detached CMS, the signer's certificate and key.
        .target(
            name: "KKSigning",
            dependencies: [
                "Hex",
                x509, asn1,
                crypto, .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Shared/KKSigning"),

        // What every service runs.
        .target(
            name: "KKRuntime",
            dependencies: [
                "KKDomain", "Kafka", "Postgres", "Hex", logging, argumentParser,
                crypto,
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                serviceLifecycle,
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                hummingbird,
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ],
            path: "Shared/KKRuntime",
            resources: [.copy("Migrations")]),

        // Operators' reports: the SLA report against the SOP's time standards, as a table, CSV and chart.
        .target(name: "KKReports", dependencies: ["KKRuntime", "KKDomain", "Postgres", "CCairo"], path: "Shared/KKReports"),

        // The pipeline under load: the daemons as processes, applicants on the webhook, officers on the CLIs (kk-bench pipeline, fault tests).
        .target(
            name: "KKLoad",
            dependencies: ["KKRuntime", "KKDomain", "KKSigning", "Postgres", "Hex", logging, crypto],
            path: "Benchmarks/KKLoad"),
        .executableTarget(name: "kk-probe", dependencies: ["KKRuntime", argumentParser], path: "Tests/Probe"),
    ] + executables.map(executable) + [

        // Tests: unit tests and integration tests on the real broker and database.
        .testTarget(name: "KafkaTests", dependencies: ["Kafka"], path: "Tests/KafkaTests"),
        .testTarget(name: "KKDocumentTests", dependencies: ["KKDocument", "KKDomain"], path: "Tests/KKDocumentTests"),
        .testTarget(
            name: "KKSigningTests",
            dependencies: [
                "KKSigning", x509, asn1,
            ], path: "Tests/KKSigningTests"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres"], path: "Tests/PostgresTests"),
        .testTarget(
            name: "KKDomainTests",
            dependencies: ["KKDomain", .product(name: "PropertyBased", package: "swift-property-based")],
            path: "Tests/KKDomainTests"),
        .testTarget(
            name: "KKRuntimeTests",
            dependencies: [
                "KKRuntime", "KKReports", "KKDomain", "KKLoad", "KKSigning", "Kafka", "Postgres", "Hex", "kk-probe", crypto, hummingbird,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                serviceLifecycle,
            ] + executables.filter { $0.name != "kk-bench" }.map { .target(name: $0.name) },
            path: "Tests/KKRuntimeTests"),
    ]
)

/// Every Swift target compiles with the same settings: existentials spelled `any`,
/// and a file uses only the modules it imports itself (none leak in through another file).
let sharedSwiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + sharedSwiftSettings
}
