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

/// What a service with officer commands imports: the runtime, the officer CLI pieces, messaging, the store.
let officerService: [Target.Dependency] = [
    "KKService", "KKOfficerCLI", "KKOfficerAPI", "KKMessaging", "KKStore", "KKDomain", "Postgres", logging,
]

/// The programs, each a folder of commands over the shared libraries (`executable`).
/// The production image ships the first eight; kk-dev and kk-bench are for development.
let executables: [(name: String, path: String, dependencies: [Target.Dependency])] = [
    (
        "kk-admin", "Services/Admin",
        [
            "KKService", "KKOfficerCLI", "KKOfficerAPI", "KKOfficers", "KKMessaging", "KKStore", "KKConfiguration", "KKLogging",
            "KKReports", "KKDomain", "Kafka", "Postgres", logging, crypto,
        ]
    ),
    (
        "kk-gateway", "Services/Gateway",
        [
            "KKService", "KKOfficerCLI", "KKMessaging", "KKHealth", "KKStore", "KKConfiguration", "KKHTTP", "KKDomain", "Postgres", "Hex",
            logging, hummingbird, crypto, serviceLifecycle, .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]
    ),
    ("kk-intake", "Services/Intake", officerService + ["KKConfiguration", "KKLogging"]),
    ("kk-entry", "Services/DataEntry", officerService),
    ("kk-verify", "Services/Verification", officerService + ["KKOfficers"]),
    (
        "kk-sign", "Services/Signing",
        officerService + ["KKOfficers", "KKDocument", "KKSigning", "Hex", crypto, x509, asn1]
    ),
    ("kk-deliver", "Services/Delivery", officerService + ["KKConfiguration", serviceLifecycle]),
    (
        "kk-archive", "Services/Archive",
        officerService + [
            "KKConfiguration", "KKHTTP", "Hex", crypto, serviceLifecycle, hummingbird, .product(name: "Metrics", package: "swift-metrics"),
        ]
    ),
    // Development tools, kept out of the production executables and image (deploy/Dockerfile).
    (
        "kk-dev", "Services/Dev",
        [
            "KKOfficerCLI", "KKOfficerAPI", "KKConfiguration", "KKHTTP", "KKDomain", "KKSigning", "Hex", logging, hummingbird, crypto,
            serviceLifecycle,
        ]
    ),
    ("kk-bench", "Benchmarks/KKBench", ["Kafka", "Postgres", "KKDomain", "KKDocument", "KKSigning", "KKLoad", logging]),
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

        // The service layers, bottom up (README, "Modules"): logs, configuration, the store
        // (one module owns the schema), officers, health, messaging, HTTP clients, the officer
        // API's contract, the officer CLIs' pieces, and the service runtime on top.
        // Logs: JSON or masked text, personal data masked.
        .target(name: "KKLogging", dependencies: [logging], path: "Shared/KKLogging"),
        // Configuration from the environment, refused with the variable's name and an example.
        .target(
            name: "KKConfiguration", dependencies: ["KKDomain", "Postgres", "Hex", crypto], path: "Shared/KKConfiguration"),
        // The system of record: requests, the family register, applicants, officers' queues,
        // the audit chain, retention, and the SQL migrations.
        .target(
            name: "KKStore",
            dependencies: ["KKDomain", "KKConfiguration", "KKLogging", "Postgres", "Hex", logging, crypto],
            path: "Shared/KKStore",
            resources: [.copy("Migrations")]),
        // Officer accounts, sign-in and sessions, the four-eyes changes, notices.
        .target(
            name: "KKOfficers",
            dependencies: [
                "KKStore", "KKConfiguration", "KKDomain", "Postgres", "Hex",
                crypto, .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Shared/KKOfficers"),
        // What /health/live and /health/ready report.
        .target(name: "KKHealth", dependencies: ["KKLogging"], path: "Shared/KKHealth"),
        // Consume -> transaction -> outbox; the inbox, the relay, dead letters, the officers' queue feeder.
        .target(
            name: "KKMessaging",
            dependencies: [
                "KKStore", "KKHealth", "KKLogging", "KKDomain", "Kafka", "Postgres", logging, serviceLifecycle,
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ],
            path: "Shared/KKMessaging"),
        // Outbound HTTP (bounded answers, timeouts), per-client rate limits, the webhook's signature.
        .target(
            name: "KKHTTP",
            dependencies: [
                "Hex", crypto, .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Shared/KKHTTP"),
        // The officer API's contract: operations, the call they run in, the wire types.
        .target(
            name: "KKOfficerAPI",
            dependencies: ["KKStore", "KKDomain", "Kafka", "Postgres"],
            path: "Shared/KKOfficerAPI"),
        // The officer CLIs: the API client, sign-in, and the commands several services share.
        .target(
            name: "KKOfficerCLI",
            dependencies: [
                "KKOfficerAPI", "KKOfficers", "KKMessaging", "KKStore", "KKConfiguration", "KKHTTP", "KKLogging",
                "KKDomain", "Kafka", "Postgres", argumentParser,
            ],
            path: "Shared/KKOfficerCLI"),
        // What every service runs: start-up, the officer API server, health, metrics, periodic jobs.
        .target(
            name: "KKService",
            dependencies: [
                "KKOfficerAPI", "KKOfficers", "KKMessaging", "KKHealth", "KKStore", "KKConfiguration", "KKLogging",
                "KKDomain", "Kafka", "Postgres", logging, serviceLifecycle, hummingbird,
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Shared/KKService"),

        // Operators' reports: the SLA report against the SOP's time standards, as a table, CSV and chart.
        .target(name: "KKReports", dependencies: ["KKStore", "KKConfiguration", "KKDomain", "Postgres", "CCairo"], path: "Shared/KKReports"),

        // The pipeline under load: the daemons as processes, applicants on the webhook, officers on the CLIs (kk-bench pipeline, fault tests).
        .target(
            name: "KKLoad",
            dependencies: [
                "KKOfficerCLI", "KKOfficerAPI", "KKOfficers", "KKStore", "KKHTTP", "KKDomain", "KKSigning", "Postgres", "Hex", logging, crypto,
            ],
            path: "Benchmarks/KKLoad"),
        .executableTarget(
            name: "kk-probe",
            dependencies: ["KKService", "KKOfficerCLI", "KKMessaging", "KKStore", "KKLogging", "KKDomain", "Postgres", argumentParser],
            path: "Tests/Probe"),
    ] + executables.map(executable) + [

        // Tests: unit tests and integration tests on the real broker and database.
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", logging], path: "Tests/KafkaTests"),
        .testTarget(name: "KKDocumentTests", dependencies: ["KKDocument", "KKDomain"], path: "Tests/KKDocumentTests"),
        .testTarget(
            name: "KKSigningTests",
            dependencies: [
                "KKSigning", x509, asn1,
            ], path: "Tests/KKSigningTests"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", logging], path: "Tests/PostgresTests"),
        .testTarget(
            name: "KKDomainTests",
            dependencies: ["KKDomain", .product(name: "PropertyBased", package: "swift-property-based")],
            path: "Tests/KKDomainTests"),
        // What the integration and system tests share: the local stack (a fresh database per test,
        // the broker), the package's programs as processes, a private broker to lose, the Graph
        // API stand-in, officers and sessions, webhook bodies for the fuzzers.
        .target(
            name: "KKTesting",
            dependencies: [
                "KKLoad", "KKOfficerAPI", "KKOfficers", "KKMessaging", "KKHTTP", "KKStore", "KKConfiguration", "KKDomain", "Kafka",
                "Postgres", "Hex", logging, crypto, hummingbird,
            ],
            path: "Tests/KKTesting"),
        // The service layers in process, on the real database and broker (no program started).
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "KKTesting", "KKMessaging", "KKHTTP", "KKHealth", "KKStore", "KKConfiguration", "KKLogging", "KKReports", "KKDomain",
                "Kafka", "Postgres", "Hex", "kk-gateway", "kk-archive", logging, crypto, hummingbird,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/IntegrationTests"),
        // The programs as processes: every SOP flow end to end, kills and faults, the deployment files.
        .testTarget(
            name: "SystemTests",
            dependencies: [
                "KKTesting", "KKService", "KKOfficerCLI", "KKOfficerAPI", "KKOfficers", "KKMessaging", "KKHTTP", "KKHealth", "KKStore",
                "KKConfiguration", "KKLogging", "KKReports", "KKDomain", "KKLoad", "KKSigning", "Kafka", "Postgres", "Hex", "kk-probe",
                logging, crypto, hummingbird,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                serviceLifecycle,
            ] + executables.filter { $0.name != "kk-bench" }.map { .target(name: $0.name) },
            path: "Tests/SystemTests"),
    ]
)

/// Every Swift target compiles with the same settings: existentials spelled `any`,
/// and a file uses only the modules it imports itself (none leak in through another file).
let sharedSwiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + sharedSwiftSettings
}
