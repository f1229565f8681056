import Foundation
import KKStore
import KKTesting
import Postgres
import Testing

/// The audit log cannot be rewritten (issue 16, item 4): the database refuses
/// UPDATE, DELETE and TRUNCATE, chains every row to the one before, and
/// `kk-admin audit verify` names the first row changed or removed by someone
/// who got around the refusal (a superuser disabling the triggers).
@Suite("Audit: append-only, hash-chained, verified", .serialized)
struct AuditChainTests {
    /// A fresh database with `count` audit entries written the way the services write them.
    static func database(entries count: Int) async throws -> (url: String, pool: PostgresPool) {
        let url = try await TestStack.freshDatabase()
        let pool = try await PostgresPool.connect(url: url, size: 2, logger: TestStack.logger)
        for index in 1...count {
            try await pool.withTransaction { tx in
                try await AuditLog.record(
                    username: "siti", role: "petugas_layanan", service: "kk-intake", command: "show", requestID: UUID(),
                    outcome: index % 3 == 0 ? .refused : .ok, detail: index % 2 == 0 ? "entri \(index)" : nil, in: tx)
            }
        }
        return (url, pool)
    }

    /// `kk-admin audit verify` as the administrator, through kk-admin serve.
    static func verify(_ url: String) async throws -> (status: Int32, output: String) {
        let admin = try await AdminService.start(databaseURL: url)
        defer { admin.stop() }
        return try admin.run(["audit", "verify"])
    }

    /// Runs `sql` with the audit triggers off, as only a superuser could.
    static func tamper(_ pool: PostgresPool, _ sql: PostgresQuery) async throws {
        try await pool.withTransaction { tx in
            try await tx.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
            try await tx.execute(sql)
            try await tx.execute("ALTER TABLE audit_log ENABLE TRIGGER USER")
        }
    }

    @Test("every entry is chained in the order written, concurrent writers included; verify says the log is whole")
    func chained() async throws {
        let (url, pool) = try await Self.database(entries: 5)
        defer { Task { await pool.close() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await AuditLog.record(
                        username: "bambang", role: "kasi_kabid", service: "kk-verify", command: "approve", outcome: .ok, detail: "paralel \(index)",
                        pool: pool)
                }
            }
            try await group.waitForAll()
        }
        let seqs = try await pool.query("SELECT seq FROM audit_log ORDER BY seq").rows.map { try $0.decode("seq", as: Int64.self) }
        #expect(seqs == Array(1...13))
        #expect(try await AuditChain.verify(pool: pool).firstBreak == nil)
        // 13, and the administrator's sign-in to run the check.
        let verified = try await Self.verify(url)
        #expect(verified.status == 0 && verified.output.contains("Log audit utuh: 14 entri"), "\(verified.output)")
    }

    @Test("UPDATE, DELETE and TRUNCATE of the audit log are refused, even to the table's owner")
    func appendOnly() async throws {
        let (_, pool) = try await Self.database(entries: 3)
        defer { Task { await pool.close() } }
        for sql: PostgresQuery in ["UPDATE audit_log SET outcome = 'ok' WHERE seq = 3", "DELETE FROM audit_log WHERE seq = 2", "TRUNCATE audit_log"] {
            do {
                try await pool.execute(sql)
                Issue.record("\(sql.sql) was allowed")
            } catch let error as PostgresError {
                #expect("\(error)".contains("audit_log is append-only"), "\(error)")
            }
        }
        #expect(try await pool.query("SELECT count(*)::bigint AS n FROM audit_log").rows[0].decode("n", as: Int64.self) == 3)
    }

    @Test("a changed entry, a removed entry and a changed entry re-hashed by the attacker are each found, naming the first broken entry")
    func tamperingFound() async throws {
        let (url, pool) = try await Self.database(entries: 6)
        defer { Task { await pool.close() } }

        try await Self.tamper(pool, "UPDATE audit_log SET outcome = 'ok', detail = NULL WHERE seq = 3")
        let altered = try await Self.verify(url)
        #expect(altered.status == 1 && altered.output.contains("entri audit #3") && altered.output.contains("diubah setelah ditulis"), "\(altered.output)")

        // The attacker also fixes the row's own hash: the next row no longer links to it.
        try await Self.tamper(pool, "UPDATE audit_log a SET hash = audit_row_digest(a.prev_hash, a) WHERE seq = 3")
        let rehashed = try await Self.verify(url)
        #expect(rehashed.status == 1 && rehashed.output.contains("entri audit #4") && rehashed.output.contains("tidak menyambung"), "\(rehashed.output)")

        let (url2, pool2) = try await Self.database(entries: 6)
        defer { Task { await pool2.close() } }
        try await Self.tamper(pool2, "DELETE FROM audit_log WHERE seq = 2")
        let removed = try await Self.verify(url2)
        #expect(removed.status == 1 && removed.output.contains("entri audit #2 hilang (dihapus)"), "\(removed.output)")
    }
}
