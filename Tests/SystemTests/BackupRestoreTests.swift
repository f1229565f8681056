import Foundation
import KKDomain
import KKLoad
import KKStore
import KKTesting
import Postgres
import Testing

/// Backups of PostgreSQL itself (issue 18): `deploy/local/backup.sh` (pgBackRest) on a
/// cluster of the test's own, so the shared one is left alone: a full backup, WAL
/// archived after it, and a restore to a point in time beside the cluster.
@Suite("Backups of PostgreSQL: a full backup and the archived WAL restore the register and every request to a point in time")
struct BackupRestoreTests {
    /// A PostgreSQL cluster made by `stack.sh postgres-up` in a folder and on a port of its own.
    struct OwnCluster {
        let home: URL
        let port: Int

        var environment: [String: String] {
            ProcessInfo.processInfo.environment.merging(["KK_PG_HOME": home.path, "KK_PG_PORT": String(port)]) { _, new in new }
        }

        func url(port: Int? = nil) throws -> String {
            let password = try String(contentsOf: home.appendingPathComponent("password"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            return "postgresql://kk:\(password)@127.0.0.1:\(port ?? self.port)/kk"
        }

        /// Runs a script of deploy/local with this cluster's settings; its status and output.
        func script(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
            try ExternalTool.run(
                "/bin/bash", [TestStack.repositoryRoot.appendingPathComponent("deploy/local/\(name)").path] + arguments, extra: environment)
        }

        @discardableResult
        func must(_ name: String, _ arguments: [String]) throws -> String {
            let result = try script(name, arguments)
            try #require(result.status == 0, "\(name) \(arguments.joined(separator: " ")) failed: \(result.output)")
            return result.output
        }
    }

    /// What the restore must bring back: every request, event and register version.
    static func contents(_ pool: PostgresPool) async throws -> [String] {
        let requests = try await pool.query("SELECT 'request ' || number || ' ' || state AS line FROM requests").rows
        let events = try await pool.query("SELECT 'event ' || request_id::text || ' v' || version || ' ' || coalesce(action, '-') AS line FROM request_events")
            .rows
        let versions = try await pool.query("SELECT 'register ' || kk_number || ' v' || version AS line FROM family_versions").rows
        return try (requests + events + versions).map { try $0.decode("line", as: String.self) }.sorted()
    }

    /// The newest backup's stop time (seconds since 1970) in `pgbackrest info --output=json`.
    static func lastBackupStop(_ json: String) throws -> Int {
        let stanzas = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]], "not pgBackRest's JSON: \(json)")
        let stops = (stanzas.first?["backup"] as? [[String: Any]] ?? []).compactMap { ($0["timestamp"] as? [String: Any])?["stop"] as? Int }
        return try #require(stops.max(), "no backup in: \(json)")
    }

    /// `count` families in the register and `requests` requests taken a few steps each.
    static func work(_ pool: PostgresPool, families: Int, seed: UInt64, requests: Int, phones: Int) async throws {
        let records = SampleFamilies.generate(count: families, seed: seed, today: CalendarDate(Date()))
        try await pool.withTransaction { tx in
            for record in records { try await FamilyRegister.append(record, source: .sample, in: tx) }
        }
        for index in 0..<requests {
            let phone = "62813\(String(format: "%08d", phones + index))"
            let applicant = Actor(role: .applicant, id: RequestStore.applicantRef(for: phone))
            let officer = Actor(role: .serviceOfficer, id: "siti")
            try await pool.withTransaction { tx in
                let id = try await RequestStore.create(
                    reason: .damaged, applicantPhone: phone, kkNumber: records[index].kkNumber.value, actor: applicant, in: tx
                )
                .0.id
                _ = try await RequestStore.transition(id, action: .submit, by: applicant, in: tx)
                _ = try await RequestStore.transition(id, action: .open, by: officer, in: tx)
            }
        }
    }

    @Test(
        "backup.sh: after a full backup, changes are archived as WAL; a restore to a time between two changes brings back every request, event and register version made before it and none made after"
    )
    func pointInTimeRestore() async throws {
        let base = getuid() == 0 ? URL(fileURLWithPath: "/var/lib/kk-sop") : FileManager.default.temporaryDirectory
        let home = base.appendingPathComponent("backup-test-\(UUID().uuidString.prefix(8).lowercased())")
        let cluster = OwnCluster(home: home, port: freePort())
        let copy = home.appendingPathComponent("restored")
        defer {
            _ = try? cluster.script("backup.sh", ["stop-copy", "--to", copy.path])
            _ = try? cluster.script("stack.sh", ["postgres-down"])
            try? FileManager.default.removeItem(at: home)
        }
        try cluster.must("stack.sh", ["postgres-up"])
        try cluster.must("backup.sh", ["init"])
        let pool = try await PostgresPool.connect(url: try cluster.url(), size: 2, logger: TestStack.logger)
        _ = try await ProjectMigrations.apply(pool: pool, logger: TestStack.logger)

        // Before the backup, between the backup and the chosen time, and after it.
        try await Self.work(pool, families: 6, seed: 1, requests: 3, phones: 0)
        let full = try cluster.must("backup.sh", ["full"])
        #expect(full.contains("full backup"), "\(full)")
        try await Self.work(pool, families: 4, seed: 2, requests: 2, phones: 100)
        // pgBackRest restores to a time after a backup's recorded stop (whole seconds).
        let stop = try Self.lastBackupStop(cluster.must("backup.sh", ["info", "--output=json"]))
        while try await pool.query("SELECT extract(epoch FROM clock_timestamp()) < \(stop + 1) AS early").rows[0].decode("early", as: Bool.self) {
            try await Task.sleep(for: .milliseconds(100))
        }
        let wanted = try await Self.contents(pool)
        let time = try await pool.query("SELECT clock_timestamp()::text AS t").rows[0].decode("t", as: String.self)
        try await Self.work(pool, families: 3, seed: 3, requests: 2, phones: 200)
        let later = try await Self.contents(pool)
        #expect(later.count > wanted.count)
        try cluster.must("backup.sh", ["check"])  // the last changes' WAL is archived
        await pool.close()

        let port = freePort()
        try cluster.must("backup.sh", ["restore", "--time", time, "--to", copy.path, "--port", String(port)])
        let restored = try await PostgresPool.connect(url: try cluster.url(port: port), size: 1, logger: TestStack.logger)
        let found = try await Self.contents(restored)
        await restored.close()
        #expect(found == wanted, "restored to \(time): \(found.count) rows, wanted \(wanted.count)")
        #expect(found.contains { $0.hasPrefix("register") } && found.contains { $0.hasPrefix("event") })
        #expect(Set(later).subtracting(found).count == later.count - wanted.count, "nothing made after \(time) came back")
    }
}
