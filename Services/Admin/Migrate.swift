import ArgumentParser
import Foundation
import KKLogging
import KKOfficerCLI
import KKStore
import Postgres

/// `kk-admin migrate`: applies pending SQL migrations once, safely from several processes at once.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Terapkan migrasi basis data yang belum diterapkan (masing-masing sekali, di bawah advisory lock).")

    @Option(help: "Folder berkas NNNN_name.sql yang diterapkan sebagai ganti migrasi proyek.")
    var directory: String?

    func run() async throws {
        let logger = CLILogger.make("kk-admin")
        let env = try CLIEnvironment.load(needsKafka: false)
        let pool = try await PostgresPool.connect(url: env.databaseURL, size: 1, logger: logger)
        defer { Task { await pool.close() } }
        let migrations = try directory.map { try Migrations.load(directory: URL(fileURLWithPath: $0)) } ?? ProjectMigrations.all()
        let applied = try await Migrator(pool: pool, logger: logger).migrate(migrations)
        if applied.isEmpty {
            print("skema basis data sudah mutakhir (\(migrations.count) migrasi)")
        } else {
            for m in applied { print("migrasi \(String(format: "%04d", m.version)) \(m.name) diterapkan") }
        }
        await pool.close()
    }
}
