import Foundation
import KKDomain
import KKHTTP
import KKOfficerAPI
import KKOfficerCLI
import KKTesting
import Postgres
import Testing

/// kk-admin signs in too (issue 16, item 3): its commands are operations of
/// kk-admin serve, for the administrator role only, each audited; giving the
/// Kepala Dinas' or an administrator's role waits for a second administrator;
/// the first administrator is made once; development helpers refuse a
/// production database. Every refusal leaves the officers as they were.
@Suite("Attacks on the administration: no admin session, one admin alone, a second bootstrap, sample data in production", .serialized)
struct AdminAuthorityTests {
    static let password = "kata-sandi-petugas-baru"

    struct Office {
        let admin: AdminService
        let pool: PostgresPool
        let passwordFile: String

        func officers() async throws -> [String: String] {
            Dictionary(
                uniqueKeysWithValues: try await pool.query("SELECT username, role FROM officers").rows.map {
                    (try $0.decode("username", as: String.self), try $0.decode("role", as: String.self))
                })
        }

        func audited(_ command: String, outcome: String, by username: String) async throws -> Int {
            Int(
                try await pool.query(
                    "SELECT count(*)::bigint AS n FROM audit_log WHERE command = \(command) AND outcome = \(outcome) AND username = \(username)"
                ).rows[0].decode("n", as: Int64.self))
        }

        func stop() async {
            admin.stop()
            await pool.close()
        }
    }

    static func office() async throws -> Office {
        let url = try await TestStack.freshDatabase()
        let admin = try await AdminService.start(databaseURL: url)
        let pool = try await PostgresPool.connect(url: url, size: 2, logger: TestStack.logger)
        try await TestOfficers.add(
            username: "siti", fullName: "Siti Rahayu", nip: "198507122010012001", role: .serviceOfficer, password: password, pool: pool)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sandi-\(UUID().uuidString.prefix(8))").path
        try password.write(toFile: file, atomically: true, encoding: .utf8)
        return Office(admin: admin, pool: pool, passwordFile: file)
    }

    @Test("an officer without the admin role, over the CLI or straight over HTTP, and nobody signed in: refused, audited, no officer changed")
    func withoutAdminSession() async throws {
        let office = try await Self.office()
        let before = try await office.officers()
        let add = [
            "officer", "add", "palsu", "--name", "Palsu", "--nip", "199901012020011001", "--role", "kepala_dinas", "--password-file", office.passwordFile,
        ]

        let asOfficer = try office.admin.run(add, as: "siti", password: Self.password)
        #expect(asOfficer.status != 0 && asOfficer.output.contains("hanya boleh dijalankan oleh Administrator sistem"), "\(asOfficer.output)")
        let reset = try office.admin.run(["officer", "reset-password", "rina", "--password-file", office.passwordFile], as: "siti", password: Self.password)
        #expect(reset.status != 0 && reset.output.contains("Administrator sistem"), "\(reset.output)")
        let show = try office.admin.run(["register", "show", "3402010101010001"], as: "siti", password: Self.password)
        #expect(show.status != 0 && show.output.contains("Administrator sistem"), "\(show.output)")

        // Bypassing the CLI: siti's own token on the administrators' route.
        let client = try OfficerAPIClient(service: .admin, environment: office.admin.environment)
        let session = try await client.signIn(username: "siti", password: Self.password)
        func setRole(token: String) async throws -> Int {
            try await HTTPExchange.send(
                "POST", client.baseURL.appendingPathComponent("api/v1/admin/officer-role"),
                headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")], body: Array(#"{"username":"siti","role":"admin"}"#.utf8)
            ).status
        }
        #expect(try await setRole(token: session.token) == 403)
        #expect(try await setRole(token: "bukan-token-yang-sah") == 401)

        // No session at all, and no credential to fall back on: the CLI has no database address.
        let anonymous = try ChildProcess.start(
            "kk-admin", ["officer", "list"],
            environment: office.admin.environment.merging(["KK_OFFICER": "", "KK_SESSION_FILE": "/nonexistent/sesi"]) { _, new in new },
            without: IntakeStack.serverOnlyVariables
        ).wait()
        #expect(anonymous.status != 0 && anonymous.output.contains("Anda belum masuk"), "\(anonymous.output)")

        #expect(try await office.officers() == before, "no officer or role changed")
        #expect(try await office.audited("officer-add", outcome: "refused", by: "siti") == 1)
        #expect(try await office.audited("officer-password", outcome: "refused", by: "siti") == 1)
        #expect(try await office.audited("officer-role", outcome: "refused", by: "siti") == 1)
        await office.stop()
    }

    @Test("one administrator cannot give the Kepala Dinas' or an admin's role, nor set their password, alone; a second one approves")
    func twoAdministrators() async throws {
        let office = try await Self.office()
        let admin = office.admin

        // The second administrator: asked for by rina, approved once by the operator (only one admin exists).
        let asked = try admin.run([
            "officer", "add", "dodi", "--name", "Dodi Hermawan", "--nip", "198702022011011002", "--role", "admin", "--password-file", office.passwordFile,
        ])
        #expect(asked.status == 0 && asked.output.contains("menunggu persetujuan admin kedua: perubahan #1"), "\(asked.output)")
        #expect(try await office.officers()["dodi"] == nil, "nothing changes before the approval")
        let own = try admin.run(["officer", "approve", "1"])
        #expect(own.status != 0 && own.output.contains("harus disetujui admin lain"), "\(own.output)")
        let second = try admin.run(["bootstrap-admin", "--approve-second-admin", "1"])
        #expect(second.status == 0 && second.output.contains("Admin kedua dodi terdaftar"), "\(second.output)")
        #expect(try await office.officers()["dodi"] == "admin")
        let again = try admin.run(["bootstrap-admin", "--approve-second-admin", "1"])
        #expect(again.status != 0, "the operator's approval is for the second administrator only: \(again.output)")

        // The Kepala Dinas: rina asks, rina cannot approve, dodi does.
        let kadis = try admin.run([
            "officer", "add", "wahyuni", "--name", "Dr. Hj. Sri Wahyuni, M.Si.", "--nip", "197005121995032004", "--role", "kepala_dinas", "--password-file",
            office.passwordFile,
        ])
        #expect(kadis.status == 0 && kadis.output.contains("perubahan #2"), "\(kadis.output)")
        let promote = try admin.run(["officer", "set-role", "siti", "kepala_dinas"])
        #expect(promote.status == 0 && promote.output.contains("perubahan #3"), "\(promote.output)")
        #expect(try admin.run(["officer", "approve", "2"]).output.contains("harus disetujui admin lain"))
        let waiting = try await office.officers()
        #expect(waiting["wahyuni"] == nil && waiting["siti"] == "petugas_layanan")
        let pending = try admin.run(["officer", "pending"], as: "dodi", password: Self.password)
        #expect(
            pending.output.contains("#2") && pending.output.contains("daftarkan wahyuni sebagai Kepala Dinas") && pending.output.contains("#3"),
            "\(pending.output)")
        let approved = try admin.run(["officer", "approve", "2"], as: "dodi", password: Self.password)
        #expect(approved.status == 0 && approved.output.contains("disetujui dan berlaku"), "\(approved.output)")
        let rejected = try admin.run(["officer", "reject", "3"], as: "dodi", password: Self.password)
        #expect(rejected.status == 0 && rejected.output.contains("ditolak"), "\(rejected.output)")
        let decided = try await office.officers()
        #expect(decided["wahyuni"] == "kepala_dinas" && decided["siti"] == "petugas_layanan")
        let twice = try admin.run(["officer", "approve", "3"], as: "dodi", password: Self.password)
        #expect(twice.status != 0 && twice.output.contains("Tidak ada perubahan #3 yang menunggu"), "\(twice.output)")

        // Her password cannot be reset by one admin (the way to sign as her); an ordinary officer's can.
        let hers = try admin.run(["officer", "reset-password", "wahyuni", "--password-file", office.passwordFile])
        #expect(hers.status == 0 && hers.output.contains("menunggu persetujuan admin kedua"), "\(hers.output)")
        let stolen = try ChildProcess.start(
            "kk-admin", ["whoami"], environment: admin.environment.merging(["KK_OFFICER": "wahyuni", "KK_OFFICER_PASSWORD": Self.password]) { _, new in new },
            without: IntakeStack.serverOnlyVariables
        ).wait()
        #expect(stolen.status == 0, "her own password still works: \(stolen.output)")
        let hashes = try await office.pool.query("SELECT count(*)::bigint AS n FROM officer_changes WHERE password_hash IS NOT NULL AND decision IS NOT NULL")
            .rows[0]
            .decode("n", as: Int64.self)
        #expect(hashes == 0, "a decided change keeps no password hash")
        #expect(try admin.run(["officer", "reset-password", "siti", "--password-file", office.passwordFile]).output.contains("Kata sandi siti diperbarui"))

        #expect(try await office.audited("officer-decide", outcome: "ok", by: "dodi") == 2)
        #expect(try await office.audited("officer-decide", outcome: "refused", by: "rina") == 0, "refused as a failure of the rule, not of the role")
        #expect(try await office.audited("officer-decide", outcome: "failed", by: "rina") == 2)
        await office.stop()
    }

    @Test("bootstrap-admin is refused once an administrator exists; sample families are refused on a production database; reads are audited")
    func bootstrapAndProduction() async throws {
        let office = try await Self.office()
        let admin = office.admin
        let bootstrap = try admin.run([
            "bootstrap-admin", "kedua", "--name", "Admin Kedua", "--nip", "198803032012011003", "--password-file", office.passwordFile,
        ])
        #expect(bootstrap.status != 0 && bootstrap.output.contains("Admin pertama sudah ada"), "\(bootstrap.output)")
        #expect(try await office.officers()["kedua"] == nil)

        let seeded = try admin.run(["register-seed", "--families", "3"], tool: "kk-dev")
        #expect(seeded.status == 0 && seeded.output.contains("3 keluarga ditambahkan"), "\(seeded.output)")
        let kk = try await office.pool.query("SELECT kk_number FROM families LIMIT 1").rows[0].decode("kk_number", as: String.self)
        let shown = try admin.run(["register", "show", kk])
        #expect(shown.status == 0 && shown.output.contains(kk), "\(shown.output)")
        let read = try await office.pool.query(
            "SELECT detail FROM audit_log WHERE command = 'register-show' AND username = 'rina' AND outcome = 'ok'"
        ).rows
        #expect(read.count == 1, "reading a family's data is audited")
        #expect(try read.first?.decode("detail", as: String?.self)?.contains(String(kk.suffix(4))) == true)
        #expect(try read.first?.decode("detail", as: String?.self)?.contains(kk) == false, "the audit detail masks the KK number")

        let marked = try admin.run(["mark-production"])
        #expect(marked.status == 0, "\(marked.output)")
        let families = try await office.pool.query("SELECT count(*)::bigint AS n FROM families").rows[0].decode("n", as: Int64.self)
        let refused = try admin.run(["register-seed", "--families", "3", "--seed", "7"], tool: "kk-dev")
        #expect(refused.status != 0 && refused.output.contains("basis data ini ditandai produksi"), "\(refused.output)")
        #expect(try await office.pool.query("SELECT count(*)::bigint AS n FROM families").rows[0].decode("n", as: Int64.self) == families)
        // Development keys are useless there: kk-sign refuses to start with a development CA.
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("kunci-\(UUID().uuidString.prefix(8))")
        let keygen = try ChildProcess.start(
            "kk-dev", ["keygen", "--out", keys.path, "--name", "Kepala Dinas", "--nip", "197005121995032004"],
            environment: ["KK_SIGN_KEY_PASSPHRASE": "frasa-sandi-uji"]
        ).wait()
        #expect(keygen.status == 0, "\(keygen.output)")
        let signer = try ChildProcess.start(
            "kk-sign", ["serve"],
            environment: [
                "KK_DATABASE_URL": office.admin.databaseURL, "KK_KAFKA_BROKERS": TestStack.brokers, "KK_HTTP_PORT": "0", "KK_API_PORT": "0",
                "KK_LOG_FORMAT": "text", "KK_SIGN_CA": keys.appendingPathComponent("ca.pem").path,
            ]
        ).wait()
        #expect(signer.status != 0 && signer.output.contains("CA pengembangan") && signer.output.contains("ditandai produksi"), "\(signer.output)")
        // Once production, always production, even for the owner.
        await #expect(throws: (any Error).self) { try await office.pool.execute("UPDATE installation SET environment = 'development'") }
        await office.stop()
    }
}
