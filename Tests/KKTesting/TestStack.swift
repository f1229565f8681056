import Crypto
import Foundation
import Hex
import KKConfiguration
import KKDomain
import KKStore
import Kafka
import Logging
import Postgres
import Synchronization
import Testing

/// The local stack `make test` started: a fresh database per test (migrated
/// with the project's schema) on the real PostgreSQL, and the real broker.
package enum TestStack {
    package static func environment(_ name: String) -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            Issue.record("\(name) is not set: run the tests with `make test`, which starts the local stack")
            return ""
        }
        return value
    }

    /// A run's size from the environment (`make faults`, `make fuzz`), `value` when unset.
    package static func setting(_ name: String, _ value: Int) -> Int {
        Int(ProcessInfo.processInfo.environment[name] ?? "") ?? value
    }

    /// The repository's folder (this file is Tests/KKTesting/TestStack.swift).
    package static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Waits until `condition` holds, checking every 200 ms; records an issue naming `what` after `timeout`.
    package static func waitFor(_ what: String, timeout: Duration = .seconds(90), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("timed out waiting for \(what)")
    }

    /// The `n` column of `sql`'s first row (a `count(*)::bigint AS n`).
    package static func count(_ sql: PostgresQuery, in pool: PostgresPool) async throws -> Int64 {
        try await pool.query(sql).rows[0].decode("n", as: Int64.self)
    }

    package static var databaseURL: String { environment("KK_DATABASE_URL") }
    package static var brokers: String { environment("KK_KAFKA_BROKERS") }

    package static let logger: Logger = {
        var logger = Logger(label: "kk-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Writes `calendar` as an office calendar file (`KK_OFFICE_CALENDAR_FILE`) and returns its path.
    package static func calendarFile(_ calendar: OfficeCalendar) -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kalender-\(UUID().uuidString.prefix(8)).json")
        try! JSONEncoder().encode(calendar).write(to: url)
        return url.path
    }

    /// The test daemons' calendar unless a test sets its own: open around the
    /// clock, so durations placed in the past measure as they were written.
    package static let alwaysOpenCalendarFile = calendarFile(.alwaysOpen)

    /// Creates an empty database with the project's schema and returns its URL: a copy of
    /// `schemaTemplate`, which is a fraction of a second where applying every migration took seconds.
    package static func freshDatabase() async throws -> String {
        let template = try await schemaTemplate.value
        let name = "kk_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        try await withOwnerConnection { _ = try await $0.simpleQuery("CREATE DATABASE \(name) TEMPLATE \(template)") }
        return replacingDatabase(in: databaseURL, with: name)
    }

    /// A database holding the project's current schema, named after the migrations' checksums, so
    /// it is made once (by the first test process that needs it, under an advisory lock) and a
    /// changed migration gets a template of its own. It is built under a temporary name and renamed
    /// when complete: a run stopped half way never leaves a half-migrated template behind.
    package static let schemaTemplate = Task<String, any Error> {
        let checksums = try ProjectMigrations.all().map { "\($0.version):\($0.checksum)" }.joined(separator: ",")
        let name = "kk_schema_" + SHA256.hash(data: Array(checksums.utf8)).hexEncoded.prefix(16)
        // The lock is the session's: closing the connection releases it.
        try await withOwnerConnection { admin in
            _ = try await admin.simpleQuery("SELECT pg_advisory_lock(7290113)")
            guard try await admin.query("SELECT 1 FROM pg_database WHERE datname = \(name)").rows.isEmpty else { return }
            let building = name + "_building"
            _ = try await admin.simpleQuery("DROP DATABASE IF EXISTS \(building) WITH (FORCE)")
            _ = try await admin.simpleQuery("CREATE DATABASE \(building)")
            let pool = try await PostgresPool.connect(url: replacingDatabase(in: databaseURL, with: building), size: 1, logger: logger)
            try await ProjectMigrations.apply(pool: pool, logger: logger)
            await pool.close()
            _ = try await admin.simpleQuery("ALTER DATABASE \(building) RENAME TO \(name)")
        }
        return name
    }

    /// Runs `body` on a connection to the local stack's own database, closed afterwards either way.
    package static func withOwnerConnection(_ body: (PostgresConnection) async throws -> Void) async throws {
        let connection = try await PostgresConnection.connect(url: databaseURL, logger: logger)
        do {
            try await body(connection)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    package static func replacingDatabase(in url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/\(name)"
        return components.string ?? url
    }

    package static func kafka(_ clientID: String = "kk-tests") -> KafkaConfiguration {
        KafkaConfiguration(brokers: brokers, clientID: clientID)
    }

    package static func consumerConfiguration(group: String, topics: [String]) -> KafkaConsumerConfiguration {
        var config = KafkaConsumerConfiguration(kafka(), groupID: group, topics: topics)
        config.sessionTimeout = .seconds(6)
        config.maxPollInterval = .seconds(10)
        config.autoCommitInterval = .milliseconds(200)
        config.fetchWaitMax = (try? ServiceEnvironment.kafkaFetchWait()) ?? config.fetchWaitMax
        return config
    }

    package static func uniqueTopic(_ prefix: String) async throws -> String {
        let name = "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try await KafkaAdmin(configuration: kafka(), logger: logger)
        try await admin.createTopics([.init(name: name, partitions: 3)])
        return name
    }
}
