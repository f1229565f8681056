import KKLogging
import KKOfficerCLI
import Postgres

/// Runs `body` with a one-connection pool on KK_DATABASE_URL, closing it on every path.
func withPool<T>(_ body: (PostgresPool) async throws -> T) async throws -> T {
    let env = try CLIEnvironment.load(needsKafka: false)
    let pool = try await PostgresPool.connect(url: env.databaseURL, size: 1, logger: CLILogger.make("kk-admin"))
    do {
        let result = try await body(pool)
        await pool.close()
        return result
    } catch {
        await pool.close()
        throw error
    }
}
