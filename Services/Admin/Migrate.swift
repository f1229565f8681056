import ArgumentParser
import Foundation
import KKLogging
import KKOfficerCLI
import KKStore
import Postgres

/// `kk-admin migrate`: applies pending SQL migrations once, safely from several processes at once.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the pending database migrations (each once, under an advisory lock).")

    @Option(help: "A folder of NNNN_name.sql files to apply instead of the project's own.")
    var directory: String?

    func run() async throws {
        let logger = CLILogger.make("kk-admin")
        let env = try CLIEnvironment.load(needsKafka: false)
        let pool = try await PostgresPool.connect(url: env.databaseURL, size: 1, logger: logger)
        defer { Task { await pool.close() } }
        let migrations = try directory.map { try Migrations.load(directory: URL(fileURLWithPath: $0)) } ?? ProjectMigrations.all()
        let applied = try await Migrator(pool: pool, logger: logger).migrate(migrations)
        if applied.isEmpty {
            print("schema is up to date (\(migrations.count) migrations)")
        } else {
            for m in applied { print("applied \(String(format: "%04d", m.version)) \(m.name)") }
        }
        await pool.close()
    }
}
