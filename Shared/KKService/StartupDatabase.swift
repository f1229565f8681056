import Foundation
import KKConfiguration
import Logging
import Postgres

extension ServiceRunner {
    /// The database at start-up, waited for: a service started while PostgreSQL
    /// restarts, fails over or is too busy to answer within a connect timeout keeps
    /// trying (with a pause that grows to 5 s) for `KK_STARTUP_DB_WAIT_SECONDS`
    /// (default 60) before it exits with the last error.
    static func connectDatabase(_ environment: ServiceEnvironment, logger: Logger) async throws -> PostgresPool {
        let wait = try environment.startupDatabaseWait()
        let deadline = ContinuousClock.now + .seconds(wait)
        var pause = Duration.milliseconds(250)
        while true {
            do {
                return try await PostgresPool.connect(
                    url: environment.databaseURL, size: environment.databasePoolSize, settings: environment.databaseSessionSettings, logger: logger)
            } catch {
                guard ContinuousClock.now + pause < deadline else { throw error }
                logger.warning("database not reachable yet; trying again", metadata: ["error": "\(error)", "retry-in": "\(pause)"])
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }
}
