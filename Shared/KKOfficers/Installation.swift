import Foundation
import Postgres

/// Whether this database is the office's production system or a development
/// copy. Development helpers (sample families, development keys) refuse to
/// run on production; once marked production a database stays so.
public enum Installation {
    public enum Environment: String, Codable, Sendable {
        case development, production
    }

    public static func environment(in tx: PostgresTransaction) async throws -> Environment {
        let text = try await tx.query("SELECT environment FROM installation").rows.first?.decode("environment", as: String.self)
        return text.flatMap(Environment.init(rawValue:)) ?? .production
    }

    public static func environment(pool: PostgresPool) async throws -> Environment {
        try await pool.withTransaction { try await environment(in: $0) }
    }

    /// Refuses `command` on a production database.
    public static func requireDevelopment(_ command: String, in tx: PostgresTransaction) async throws {
        if try await environment(in: tx) == .production { throw OfficerError.productionInstallation(command: command) }
    }

    public static func markProduction(in tx: PostgresTransaction) async throws {
        try await tx.execute("UPDATE installation SET environment = 'production', marked_at = now() WHERE environment <> 'production'")
    }
}
