import Foundation
import Kafka
import KKDomain
import KKRuntime
import Logging
import Postgres
import Testing

/// The local stack `make test` started: a fresh database per test (migrated
/// with the project's schema) on the real PostgreSQL, and the real broker.
enum TestStack {
    static func environment(_ name: String) -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            Issue.record("\(name) is not set: run the tests with `make test`, which starts the local stack")
            return ""
        }
        return value
    }

    static var databaseURL: String { environment("KK_DATABASE_URL") }
    static var brokers: String { environment("KK_KAFKA_BROKERS") }

    static let logger: Logger = {
        var logger = Logger(label: "kk-runtime-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Writes `calendar` as an office calendar file (`KK_OFFICE_CALENDAR_FILE`) and returns its path.
    static func calendarFile(_ calendar: OfficeCalendar) -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kalender-\(UUID().uuidString.prefix(8)).json")
        try! JSONEncoder().encode(calendar).write(to: url)
        return url.path
    }

    /// The test daemons' calendar unless a test sets its own: open around the
    /// clock, so durations placed in the past measure as they were written.
    static let alwaysOpenCalendarFile = calendarFile(.alwaysOpen)

    /// Creates an empty database with the project's schema and returns its URL.
    static func freshDatabase() async throws -> String {
        let name = "kk_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        let admin = try await PostgresConnection.connect(url: databaseURL, logger: logger)
        _ = try await admin.simpleQuery("CREATE DATABASE \(name)")
        await admin.close()
        let url = replacingDatabase(in: databaseURL, with: name)
        let pool = try await PostgresPool.connect(url: url, size: 1, logger: logger)
        try await ProjectMigrations.apply(pool: pool, logger: logger)
        await pool.close()
        return url
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/\(name)"
        return components.string ?? url
    }

    static func kafka(_ clientID: String = "kk-runtime-tests") -> KafkaConfiguration {
        KafkaConfiguration(brokers: brokers, clientID: clientID)
    }

    static func consumerConfiguration(group: String, topics: [String]) -> KafkaConsumerConfiguration {
        var config = KafkaConsumerConfiguration(kafka(), groupID: group, topics: topics)
        config.sessionTimeout = .seconds(6)
        config.maxPollInterval = .seconds(10)
        config.autoCommitInterval = .milliseconds(200)
        config.fetchWaitMax = (try? ServiceEnvironment.kafkaFetchWait()) ?? config.fetchWaitMax
        return config
    }

    static func uniqueTopic(_ prefix: String) async throws -> String {
        let name = "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try await KafkaAdmin(configuration: kafka(), logger: logger)
        try await admin.createTopics([.init(name: name, partitions: 3)])
        return name
    }
}
