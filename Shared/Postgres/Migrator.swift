import Logging

/// Applies migrations once each, in order, each in its own transaction,
/// recorded in `schema_migrations`, under a session advisory lock so replicas
/// starting together wait for each other instead of racing.
public struct Migrator: Sendable {
    private let pool: PostgresPool
    private let table: String
    private let logger: Logger

    public init(pool: PostgresPool, table: String = "schema_migrations", logger: Logger) {
        self.pool = pool
        self.table = table
        self.logger = logger
    }

    /// Returns the migrations it applied (empty when the schema was current).
    @discardableResult
    public func migrate(_ migrations: [Migration]) async throws -> [Migration] {
        let table = self.table
        let lockKey = Int64(bitPattern: table.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 })
        return try await pool.withConnection { connection in
            try await connection.execute("SELECT pg_advisory_lock(\(lockKey))")
            do {
                let applied = try await apply(migrations, on: connection, table: table)
                try await connection.execute("SELECT pg_advisory_unlock(\(lockKey))")
                return applied
            } catch {
                _ = try? await connection.execute("SELECT pg_advisory_unlock(\(lockKey))")
                throw error
            }
        }
    }

    private func apply(_ migrations: [Migration], on connection: PostgresConnection, table: String) async throws -> [Migration] {
        try await connection.simpleQuery(
            """
            CREATE TABLE IF NOT EXISTS \(table) (
                version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """)
        var done: [Int: String] = [:]
        for row in try await connection.query("SELECT version, checksum FROM \(unescaped: table)").rows {
            done[Int(try row.decode("version", as: Int32.self))] = try row.decode("checksum", as: String.self)
        }
        var applied: [Migration] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            if let checksum = done[migration.version] {
                guard checksum == migration.checksum else { throw MigrationError.checksumChanged(version: migration.version, name: migration.name) }
                continue
            }
            try await connection.withTransaction { tx in
                try await tx.connection.simpleQuery(migration.sql)
                try await tx.execute(
                    "INSERT INTO \(unescaped: table) (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(migration.checksum))")
            }
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration)
        }
        return applied
    }
}
