// swift-tools-version:6.1
import PackageDescription

// The KK-over-WhatsApp monorepo: six services and a gateway over Kafka, with
// PostgreSQL as the system of record. See README.md and ../shared/DESIGN.md.
let package = Package(
    name: "kk-whatsapp",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "Postgres", targets: ["Postgres"]),
        .library(name: "KKDomain", targets: ["KKDomain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // System libraries: librdkafka (>= 2.2, see deploy/local/setup.sh) and libpq.
        .systemLibrary(
            name: "CKafka", path: "Shared/CKafka", pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(
            name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),

        // Swift wrappers.
        .target(
            name: "Kafka", dependencies: ["CKafka", .product(name: "Logging", package: "swift-log")],
            path: "Shared/Kafka"),
        .target(
            name: "Postgres", dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")],
            path: "Shared/Postgres"),

        // The SOP as types.
        .target(name: "KKDomain", path: "Shared/KKDomain"),

        // Tests: unit tests and integration tests on the real broker and database.
        .testTarget(name: "KafkaTests", dependencies: ["Kafka"], path: "Tests/KafkaTests"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres"], path: "Tests/PostgresTests"),
        .testTarget(
            name: "KKDomainTests",
            dependencies: ["KKDomain", .product(name: "PropertyBased", package: "swift-property-based")],
            path: "Tests/KKDomainTests"),
    ]
)
