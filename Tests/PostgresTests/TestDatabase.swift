import Foundation
import Logging
import Postgres
import Testing

/// The PostgreSQL `make test` started; each test gets its own empty database.
enum TestDatabase {
    static var url: String {
        guard let value = ProcessInfo.processInfo.environment["KK_DATABASE_URL"], !value.isEmpty else {
            Issue.record("KK_DATABASE_URL is not set: run the tests with `make test`, which starts the local PostgreSQL")
            return "postgresql://127.0.0.1:54329/kk"
        }
        return value
    }

    static let logger: Logger = {
        var logger = Logger(label: "postgres-tests")
        logger.logLevel = .warning
        return logger
    }()

    static func fresh() async throws -> String {
        let name = "pg_test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try await PostgresConnection.connect(url: url, logger: logger)
        try await admin.simpleQuery("CREATE DATABASE \(name)")
        await admin.close()
        var components = URLComponents(string: url)!
        components.path = "/\(name)"
        return components.string!
    }
}
