import Foundation
import Logging
import Postgres

/// The project's schema: the SQL files in `Shared/KKStore/Migrations`,
/// shipped as a resource (or from `KK_MIGRATIONS_DIR` when set).
public enum ProjectMigrations {
    public static func directory() throws -> URL {
        if let override = ProcessInfo.processInfo.environment["KK_MIGRATIONS_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        guard let url = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MigrationsNotFound()
        }
        return url
    }

    public static func all() throws -> [Migration] {
        try Migrations.load(directory: directory())
    }

    /// Applies the pending migrations (safe with several replicas at once).
    @discardableResult
    public static func apply(pool: PostgresPool, logger: Logger) async throws -> [Migration] {
        try await Migrator(pool: pool, logger: logger).migrate(all())
    }

    /// Refuses to start a service on a database whose schema is behind.
    public static func requireCurrent(pool: PostgresPool) async throws {
        let expected = try all().map(\.version).max() ?? 0
        let applied: Int
        do {
            let result = try await pool.query("SELECT coalesce(max(version), 0)::bigint AS v FROM schema_migrations")
            applied = Int(try result.rows.first?.decode("v", as: Int64.self) ?? 0)
        } catch let error as PostgresError where error.has(SQLState.undefinedTable) {
            applied = 0
        }
        guard applied >= expected else { throw SchemaBehind(applied: applied, expected: expected) }
    }

    struct MigrationsNotFound: Error, CustomStringConvertible {
        var description: String {
            "The SQL migrations were not found next to the executable; set KK_MIGRATIONS_DIR to Shared/KKStore/Migrations."
        }
    }

    struct SchemaBehind: Error, CustomStringConvertible {
        let applied: Int
        let expected: Int
        var description: String {
            "The database schema is at migration \(applied), but this build needs \(expected). Run `kk-admin migrate` first."
        }
    }
}
