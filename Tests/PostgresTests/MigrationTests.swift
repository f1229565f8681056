import Foundation
import Postgres
import Testing

@Suite("Migrations on the real PostgreSQL")
struct MigrationTests {
    static let migrations = [
        Migration(version: 1, name: "probe", sql: "CREATE TABLE probe (migration int NOT NULL); INSERT INTO probe VALUES (1);"),
        Migration(version: 2, name: "more", sql: "INSERT INTO probe VALUES (2); ALTER TABLE probe ADD COLUMN note text;"),
        Migration(version: 3, name: "last", sql: "INSERT INTO probe VALUES (3);"),
    ]

    @Test("migrations are applied once, in order; a second run applies nothing")
    func appliedOnce() async throws {
        let pool = try await PostgresPool.connect(url: try await TestDatabase.fresh(), size: 1, logger: TestDatabase.logger)
        let migrator = Migrator(pool: pool, logger: TestDatabase.logger)
        #expect(try await migrator.migrate(Self.migrations).map(\.version) == [1, 2, 3])
        #expect(try await migrator.migrate(Self.migrations).isEmpty)
        let rows = try await pool.query("SELECT migration FROM probe ORDER BY migration").rows
        #expect(try rows.map { try $0.decode("migration", as: Int32.self) } == [1, 2, 3])
        await pool.close()
    }

    @Test("a failing migration is rolled back whole and not recorded")
    func failingMigration() async throws {
        let pool = try await PostgresPool.connect(url: try await TestDatabase.fresh(), size: 1, logger: TestDatabase.logger)
        let migrator = Migrator(pool: pool, logger: TestDatabase.logger)
        let broken = Self.migrations + [Migration(version: 4, name: "broken", sql: "INSERT INTO probe VALUES (4); SELECT * FROM nowhere;")]
        await #expect(throws: PostgresError.self) { try await migrator.migrate(broken) }
        let rows = try await pool.query("SELECT migration FROM probe ORDER BY migration").rows
        #expect(try rows.map { try $0.decode("migration", as: Int32.self) } == [1, 2, 3])
        let recorded = try await pool.query("SELECT max(version)::bigint AS v FROM schema_migrations").rows[0].decode("v", as: Int64.self)
        #expect(recorded == 3)
        await pool.close()
    }

    @Test("a migration changed after it was applied is refused, naming it")
    func changedChecksum() async throws {
        let pool = try await PostgresPool.connect(url: try await TestDatabase.fresh(), size: 1, logger: TestDatabase.logger)
        let migrator = Migrator(pool: pool, logger: TestDatabase.logger)
        try await migrator.migrate(Self.migrations)
        var changed = Self.migrations
        changed[1] = Migration(version: 2, name: "more", sql: "INSERT INTO probe VALUES (22);")
        await #expect(throws: MigrationError.checksumChanged(version: 2, name: "more")) { try await migrator.migrate(changed) }
        await pool.close()
    }

    @Test("two migrators racing on one database apply each migration exactly once")
    func concurrentMigrators() async throws {
        let url = try await TestDatabase.fresh()
        let poolA = try await PostgresPool.connect(url: url, size: 1, logger: TestDatabase.logger)
        let poolB = try await PostgresPool.connect(url: url, size: 1, logger: TestDatabase.logger)
        async let a = Migrator(pool: poolA, logger: TestDatabase.logger).migrate(Self.migrations)
        async let b = Migrator(pool: poolB, logger: TestDatabase.logger).migrate(Self.migrations)
        let (appliedA, appliedB) = try await (a, b)
        #expect((appliedA + appliedB).map(\.version).sorted() == [1, 2, 3])
        let rows = try await poolA.query("SELECT migration FROM probe ORDER BY migration").rows
        #expect(try rows.map { try $0.decode("migration", as: Int32.self) } == [1, 2, 3])
        await poolA.close()
        await poolB.close()
    }

    @Test("migration files are loaded in number order; a bad name or a duplicate number is refused")
    func loadingFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "SELECT 2;".write(to: dir.appendingPathComponent("0002_second.sql"), atomically: true, encoding: .utf8)
        try "SELECT 1;".write(to: dir.appendingPathComponent("0001_first.sql"), atomically: true, encoding: .utf8)
        #expect(try Migrations.load(directory: dir).map(\.name) == ["first", "second"])
        try "SELECT 3;".write(to: dir.appendingPathComponent("0002_again.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.self) { try Migrations.load(directory: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("0002_again.sql"))
        try "SELECT 4;".write(to: dir.appendingPathComponent("third.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.badFileName("third.sql")) { try Migrations.load(directory: dir) }
    }
}
