import Foundation
import KKConfiguration
import KKStore
import KKTesting
import Postgres
import Testing

/// Least-privilege database roles (issue 16, item 5): the owner that runs the
/// migrations owns every table; each service connects as a role of its own
/// (the whole suite runs the services that way: `LocalServiceRole`) with only
/// the grants its tables need. Here each attack is made as a service's role
/// and refused by PostgreSQL, and nothing changes.
@Suite("Attacks as a service's database role: triggers, the audit, the event log, other services' tables, the schema")
struct DatabaseRolesTests {
    struct Refusal: Sendable {
        let role: String
        let statement: String
        let why: String
    }

    static let refusals: [Refusal] = [
        Refusal(role: "kk_intake", statement: "DROP TRIGGER audit_log_no_update ON audit_log", why: "drop the audit's append-only guard"),
        Refusal(role: "kk_verify", statement: "ALTER TABLE audit_log DISABLE TRIGGER USER", why: "switch the audit's triggers off"),
        Refusal(role: "kk_intake", statement: "DELETE FROM audit_log", why: "delete the audit"),
        Refusal(role: "kk_admin", statement: "UPDATE audit_log SET detail = 'ditimpa'", why: "rewrite the audit"),
        Refusal(role: "kk_entry", statement: "DELETE FROM request_events", why: "delete the event log"),
        Refusal(role: "kk_sign", statement: "DROP TRIGGER request_events_no_update ON request_events", why: "drop the event log's guard"),
        Refusal(role: "kk_gateway", statement: "UPDATE family_versions SET record = '{}'::jsonb", why: "change the register (kk-sign's)"),
        Refusal(role: "kk_intake", statement: "INSERT INTO kk_documents (id) VALUES (gen_random_uuid())", why: "issue a KK (kk-sign's)"),
        Refusal(role: "kk_entry", statement: "DELETE FROM archive_copies", why: "forget archive copies (kk-archive's)"),
        Refusal(role: "kk_gateway", statement: "UPDATE officers SET role = 'kepala_dinas'", why: "promote an officer (kk-admin's)"),
        Refusal(role: "kk_deliver", statement: "UPDATE installation SET environment = 'development'", why: "unmark production"),
        Refusal(role: "kk_archive", statement: "ALTER TABLE requests ADD COLUMN catatan text", why: "alter a table"),
        Refusal(role: "kk_admin", statement: "CREATE TABLE pintu_belakang (x int)", why: "create a table"),
        Refusal(role: "kk_intake", statement: "DROP TABLE signature_preparations", why: "drop a table"),
        // The gateway's WhatsApp tables are read by others only through views that hold what they need.
        Refusal(role: "kk_deliver", statement: "SELECT body FROM wa_outbound", why: "read what the office wrote to applicants"),
        Refusal(role: "kk_deliver", statement: "SELECT applicant_ref FROM wa_message_status", why: "read every message's receipt"),
        Refusal(role: "kk_intake", statement: "SELECT wa_message_id FROM wa_outbound", why: "read the send ledger"),
    ]

    @Test("each attack, made as a service's role, is refused by PostgreSQL with 'permission denied' or 'must be owner'; the tables are unchanged")
    func attacks() async throws {
        let url = try await TestStack.freshDatabase()
        let pool = try await PostgresPool.connect(url: url, size: 1, logger: TestStack.logger)
        try await pool.withTransaction { tx in
            try await AuditLog.record(username: "siti", role: "petugas_layanan", service: "kk-intake", command: "open", outcome: .ok, in: tx)
        }
        for refusal in Self.refusals {
            let outcome: String = try await pool.withTransaction(maxAttempts: 1) { tx in
                try await tx.execute("SET LOCAL ROLE \(unescaped: refusal.role)")
                do {
                    try await tx.execute(PostgresQuery(stringLiteral: refusal.statement))
                    return "allowed"
                } catch {
                    return "\(error)"
                }
            }
            #expect(
                outcome.contains("permission denied") || outcome.contains("must be owner"),
                "\(refusal.role) could \(refusal.why): \(outcome)")
        }
        let audit = try await pool.query("SELECT count(*)::bigint AS n, min(detail) AS d FROM audit_log").rows[0]
        #expect(try audit.decode("n", as: Int64.self) == 1 && audit.decode("d", as: String?.self) == nil)
        #expect(try await AuditChain.verify(pool: pool).firstBreak == nil)
        await pool.close()
    }

    @Test("every table of the schema is granted to the services that need it and to no other; no role may change the audit or the event log")
    func grants() async throws {
        let url = try await TestStack.freshDatabase()
        let pool = try await PostgresPool.connect(url: url, size: 1, logger: TestStack.logger)
        let rows = try await pool.query(
            """
            SELECT c.relname AS table, r.rolname AS role,
                   has_table_privilege(r.oid, c.oid, 'UPDATE') AS can_update, has_table_privilege(r.oid, c.oid, 'DELETE') AS can_delete,
                   has_table_privilege(r.oid, c.oid, 'SELECT') AS can_select, has_table_privilege(r.oid, c.oid, 'TRUNCATE') AS can_truncate
            FROM pg_class c CROSS JOIN pg_roles r
            WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND r.rolname LIKE 'kk\\_%' AND r.rolname <> 'kk'
            """
        ).rows
        var used: Set<String> = []
        for row in rows {
            let table = try row.decode("table", as: String.self)
            let role = try row.decode("role", as: String.self)
            if try row.decode("can_select", as: Bool.self) { used.insert(table) }
            if ["audit_log", "request_events"].contains(table) {
                #expect(
                    try !row.decode("can_update", as: Bool.self) && !row.decode("can_delete", as: Bool.self) && !row.decode("can_truncate", as: Bool.self),
                    "\(role) may change \(table)")
            }
            #expect(try !row.decode("can_truncate", as: Bool.self), "\(role) may truncate \(table)")
        }
        let tables = Set(
            try await pool.query(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND relname <> 'schema_migrations'"
            ).rows.map { try $0.decode("relname", as: String.self) })
        #expect(tables.subtracting(used).isEmpty, "tables no service may read (a migration forgot its grants): \(tables.subtracting(used).sorted())")
        await pool.close()
    }

    @Test(
        "a service writes only its own instances in service_instances: another's cannot be reported, moved to a newer broker generation or removed; kk-admin reads them all"
    )
    func ownInstancesOnly() async throws {
        let url = try await TestStack.freshDatabase()
        let pool = try await PostgresPool.connect(url: url, size: 1, logger: TestStack.logger)
        func asRole<T: Sendable>(_ role: String, _ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
            try await pool.withTransaction(maxAttempts: 1) { tx in
                try await tx.execute("SET LOCAL ROLE \(unescaped: role)")
                return try await body(tx)
            }
        }
        let gateway = ServiceInstance(id: UUID(), service: "kk-gateway", host: "gateway-0", pid: 11, startedAt: Date())
        let intake = ServiceInstance(id: UUID(), service: "kk-intake", host: "intake-0", pid: 12, startedAt: Date())
        _ = try await asRole("kk_gateway") { try await ServiceInstances.heartbeat(gateway, generation: 1, on: $0) }
        _ = try await asRole("kk_intake") { try await ServiceInstances.heartbeat(intake, generation: 1, on: $0) }

        // kk-intake, taken over, tries to speak for kk-gateway.
        let forged = ServiceInstance(id: UUID(), service: "kk-gateway", host: "gateway-9", pid: 99, startedAt: Date())
        let reported = try await asRole("kk_intake") { tx -> String in
            do {
                _ = try await ServiceInstances.heartbeat(forged, generation: 2, on: tx)
                return "allowed"
            } catch {
                return "\(error)"
            }
        }
        #expect(reported.contains("row-level security"), "kk_intake reported an instance of kk-gateway: \(reported)")
        let moved = try await asRole("kk_intake") {
            try await $0.execute("UPDATE service_instances SET broker_generation = 2 WHERE instance_id = \(gateway.id)")
        }
        let removed = try await asRole("kk_intake") { try await $0.execute("DELETE FROM service_instances WHERE instance_id = \(gateway.id)") }
        #expect(moved == 0 && removed == 0, "kk_intake changed kk-gateway's instance: \(moved) moved, \(removed) removed")

        // Each still reports itself; kk-admin sees both, the gateway's row as the gateway left it.
        _ = try await asRole("kk_intake") { try await ServiceInstances.heartbeat(intake, generation: 2, on: $0) }
        let live = try await asRole("kk_admin") { try await ServiceInstances.live(within: .seconds(60), on: $0) }
        #expect(live.map(\.service) == ["kk-gateway", "kk-intake"])
        #expect(live.map(\.brokerGeneration) == [1, 2])
        #expect(live.first?.host == "gateway-0")
        await pool.close()
    }

    @Test(
        "kk-admin db-roles stores each role's password as a SCRAM verifier, never the password; the role signs in with it; a short one is refused, naming its file"
    )
    func rolePasswords() async throws {
        let url = try await TestStack.freshDatabase()
        // The local stack's roles share the owner's password, which other tests rely on: set that one again.
        let password = try #require(URLComponents(string: url)?.password)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kk-db-roles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("kk-verify")
        try Data(password.utf8).write(to: file)
        let set = try ChildProcess.start("kk-admin", ["db-roles", "--passwords", folder.path], environment: ["KK_DATABASE_URL": url]).wait()
        #expect(set.status == 0 && set.output.contains("kk_verify"), "\(set.output)")
        let pool = try await PostgresPool.connect(url: url, size: 1, logger: TestStack.logger)
        let stored = try await pool.query("SELECT rolpassword FROM pg_authid WHERE rolname = 'kk_verify'").rows[0].decode("rolpassword", as: String?.self)
        #expect(stored?.hasPrefix("SCRAM-SHA-256$") == true && stored?.contains(password) == false)
        await pool.close()
        let asRole = try await PostgresConnection.connect(
            url: ServiceEnvironment.databaseURL(in: ["KK_DATABASE_URL": url, "KK_DATABASE_USER": "kk_verify"]), logger: TestStack.logger)
        #expect(try await asRole.query("SELECT current_user AS u").rows[0].decode("u", as: String.self) == "kk_verify")
        await asRole.close()

        try Data("pendek".utf8).write(to: file)
        let refused = try ChildProcess.start("kk-admin", ["db-roles", "--passwords", folder.path], environment: ["KK_DATABASE_URL": url]).wait()
        #expect(refused.status != 0 && refused.output.contains(file.path), "\(refused.output)")
    }
}
