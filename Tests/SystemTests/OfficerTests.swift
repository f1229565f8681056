import Crypto
import Foundation
import Hex
import KKDomain
import KKOfficers
import KKStore
import KKTesting
import Postgres
import Testing

@Suite("Officers: sign-in with a slow KDF, roles, sessions, audit")
struct OfficerTests {
    /// Cheap scrypt parameters so the tests stay fast; production uses `.standard`.
    static let fast = PasswordHasher.Parameters(rounds: 1 << 10, blockSize: 8, parallelism: 1)

    @Test("a password hash verifies only the right password and never contains it")
    func passwordHashing() throws {
        let hash = try PasswordHasher.hash("rahasia-dinas-2026", parameters: Self.fast)
        #expect(hash.hasPrefix("scrypt$1024$8$1$"))
        #expect(!hash.contains("rahasia"))
        #expect(PasswordHasher.verify("rahasia-dinas-2026", against: hash))
        #expect(!PasswordHasher.verify("rahasia-dinas-2027", against: hash))
        #expect(!PasswordHasher.verify("rahasia-dinas-2026", against: "garbage"))
        // Two hashes of one password differ (random salt).
        #expect(try PasswordHasher.hash("rahasia-dinas-2026", parameters: Self.fast) != hash)
    }

    @Test("sign-in: right password, wrong password, unknown user, disabled officer")
    func signIn() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 1, logger: TestStack.logger)
        let directory = OfficerDirectory(pool: pool, hashParameters: Self.fast)
        _ = try await directory.add(username: "siti", fullName: "Siti Nur'aini", nip: "198507122010012001", role: .serviceOfficer, password: "kata-sandi-siti")
        let officer = try await directory.signIn(username: "siti", password: "kata-sandi-siti")
        #expect(officer.role == .serviceOfficer)
        #expect(officer.fullName == "Siti Nur'aini")
        await #expect(throws: OfficerError.wrongCredentials) { try await directory.signIn(username: "siti", password: "salah-sandi-xx") }
        await #expect(throws: OfficerError.wrongCredentials) { try await directory.signIn(username: "tidakada", password: "kata-sandi-siti") }
        try await directory.setActive("siti", false)
        await #expect(throws: OfficerError.inactive(username: "siti")) { try await directory.signIn(username: "siti", password: "kata-sandi-siti") }
        await pool.close()
    }

    @Test("registration refuses non-SOP roles, bad NIPs, short passwords and duplicates")
    func registrationRules() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 1, logger: TestStack.logger)
        let directory = OfficerDirectory(pool: pool, hashParameters: Self.fast)
        await #expect(throws: OfficerError.invalidRole("pemohon")) {
            try await directory.add(username: "warga", fullName: "Warga", nip: "198507122010012001", role: .applicant, password: "panjang-sekali")
        }
        await #expect(throws: OfficerError.invalidNIP("12345")) {
            try await directory.add(username: "agus", fullName: "Agus", nip: "12345", role: .verifier, password: "panjang-sekali")
        }
        await #expect(throws: OfficerError.weakPassword(minimumLength: 10)) {
            try await directory.add(username: "agus", fullName: "Agus", nip: "198507122010011002", role: .verifier, password: "pendek")
        }
        _ = try await directory.add(username: "agus", fullName: "Agus", nip: "198507122010011002", role: .verifier, password: "panjang-sekali")
        await #expect(throws: OfficerError.alreadyExists(username: "agus")) {
            try await directory.add(username: "agus", fullName: "Agus S", nip: "198507122010011003", role: .verifier, password: "panjang-sekali")
        }
        await pool.close()
    }

    @Test("a session ends after 15 idle minutes or 8 hours in all, whichever comes first; using it keeps it alive; disabling the officer ends it")
    func sessions() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 1, logger: TestStack.logger)
        let directory = OfficerDirectory(pool: pool, hashParameters: Self.fast)
        let officer = try await directory.add(
            username: "kadis", fullName: "Kepala Dinas", nip: "197001011995031001", role: .headOfDepartment, password: "kata-sandi-kadis")
        let token = try await directory.createSession(for: officer)
        #expect(try await directory.officer(forSession: token) == officer)
        let hash = OfficerSessionsFixture.digest(token)
        // Used 14 minutes ago: still valid, and the use moves the idle clock.
        try await pool.execute("UPDATE officer_sessions SET last_used_at = now() - interval '14 minutes' WHERE token_sha256 = \(hash)")
        #expect(try await directory.officer(forSession: token) == officer)
        #expect(
            try await pool.query("SELECT last_used_at > now() - interval '1 minute' AS fresh FROM officer_sessions WHERE token_sha256 = \(hash)").rows[0]
                .decode("fresh", as: Bool.self))
        // Idle for 16 minutes: over.
        try await pool.execute("UPDATE officer_sessions SET last_used_at = now() - interval '16 minutes' WHERE token_sha256 = \(hash)")
        await #expect(throws: OfficerError.sessionExpired) { try await directory.officer(forSession: token) }
        await #expect(throws: OfficerError.notSignedIn) { try await directory.officer(forSession: token) }  // the stale row is gone
        // Used a minute ago but issued more than 8 hours ago: over.
        let old = try await directory.createSession(for: officer)
        #expect(
            try await pool.query(
                "SELECT expires_at - created_at = interval '8 hours' AS eight FROM officer_sessions WHERE token_sha256 = \(OfficerSessionsFixture.digest(old))"
            ).rows[0].decode("eight", as: Bool.self))
        try await pool.execute(
            "UPDATE officer_sessions SET expires_at = now() - interval '1 second' WHERE token_sha256 = \(OfficerSessionsFixture.digest(old))")
        await #expect(throws: OfficerError.sessionExpired) { try await directory.officer(forSession: old) }
        await #expect(throws: OfficerError.notSignedIn) { try await directory.officer(forSession: "bukan-token") }
        let live = try await directory.createSession(for: officer)
        try await directory.setActive("kadis", false)
        await #expect(throws: OfficerError.notSignedIn) { try await directory.officer(forSession: live) }
        await pool.close()
    }

    @Test("five wrong passwords lock the account for 15 minutes (even the right password is refused), every failure is audited, and the lock ends")
    func lockout() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 1, logger: TestStack.logger)
        let directory = OfficerDirectory(pool: pool, hashParameters: Self.fast)
        _ = try await directory.add(username: "siti", fullName: "Siti", nip: "198507122010012001", role: .serviceOfficer, password: "kata-sandi-siti")
        for _ in 0..<4 {
            await #expect(throws: OfficerError.wrongCredentials) { try await directory.signIn(username: "siti", password: "salah-sandi-xx") }
        }
        do {
            _ = try await directory.signIn(username: "siti", password: "salah-sandi-xx")
            Issue.record("the fifth wrong password must lock the account")
        } catch let OfficerError.locked(until) {
            #expect(abs(until.timeIntervalSinceNow - 15 * 60) < 60, "locked for 15 minutes: \(until)")
            #expect(OfficerError.locked(until: until).description.contains("Akun dikunci sampai \(WIBTime.format(until))"))
        }
        await #expect(throws: OfficerError.self) { try await directory.signIn(username: "siti", password: "kata-sandi-siti") }
        let refused = try await pool.query("SELECT detail FROM audit_log WHERE command = 'login' AND outcome = 'refused' ORDER BY id").rows
            .map { try $0.decode("detail", as: String.self) }
        #expect(refused.count == 6, "\(refused)")
        #expect(refused[0] == "kata sandi salah (1 dari 5)")
        #expect(refused[4].hasPrefix("kata sandi salah 5 kali berturut-turut; akun dikunci sampai"))
        #expect(refused[5].hasPrefix("akun terkunci sampai"))
        // An unknown name is audited too, with the same answer as a wrong password.
        await #expect(throws: OfficerError.wrongCredentials) { try await directory.signIn(username: "penyusup", password: "kata-sandi-siti") }
        #expect(
            try await pool.query("SELECT count(*)::bigint AS n FROM audit_log WHERE username = 'penyusup' AND outcome = 'refused'").rows[0].decode(
                "n", as: Int64.self) == 1)
        // When the lock has passed, the right password works and the count starts again.
        try await pool.execute("UPDATE officers SET locked_until = now() - interval '1 second' WHERE username = 'siti'")
        #expect(try await directory.signIn(username: "siti", password: "kata-sandi-siti").username == "siti")
        #expect(try await pool.query("SELECT failed_sign_ins FROM officers WHERE username = 'siti'").rows[0].decode("failed_sign_ins", as: Int32.self) == 0)
        await pool.close()
    }

    @Test("a hash made with weaker scrypt parameters is replaced by one at N=2^17 on the next good sign-in")
    func rehashOnSignIn() async throws {
        #expect(PasswordHasher.Parameters.standard.rounds >= 1 << 17)
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 1, logger: TestStack.logger)
        _ = try await OfficerDirectory(pool: pool, hashParameters: Self.fast)
            .add(username: "siti", fullName: "Siti", nip: "198507122010012001", role: .serviceOfficer, password: "kata-sandi-siti")
        let directory = OfficerDirectory(pool: pool)  // the services' standard parameters
        _ = try await directory.signIn(username: "siti", password: "kata-sandi-siti")
        let stored = try await pool.query("SELECT password_hash FROM officers WHERE username = 'siti'").rows[0].decode("password_hash", as: String.self)
        #expect(stored.hasPrefix("scrypt$131072$8$1$"), "\(stored.prefix(20))")
        #expect(PasswordHasher.verify("kata-sandi-siti", against: stored))
        await pool.close()
    }

    @Test("a command outside the officer's role is refused, and the refusal is in the audit log")
    func roleGate() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 1, logger: TestStack.logger)
        let directory = OfficerDirectory(pool: pool, hashParameters: Self.fast)
        let officer = try await directory.add(
            username: "cetak", fullName: "Petugas Cetak", nip: "199001012015031001", role: .printOfficer, password: "kata-sandi-cetak")
        let gate = OfficerGate(pool: pool, service: "kk-sign")
        await #expect(throws: OfficerError.roleNotAllowed(command: "sign", role: .printOfficer, allowed: [.headOfDepartment])) {
            try await gate.authorize(officer, command: "sign", allowed: [.headOfDepartment])
        }
        let rows = try await pool.query("SELECT username, command, outcome FROM audit_log").rows
        #expect(rows.count == 1)
        #expect(try rows[0].decode("outcome", as: String.self) == "refused")
        #expect(try rows[0].decode("command", as: String.self) == "sign")
        await pool.close()
    }
}

/// Session rows are found by the SHA-256 of the token, as the directory stores them.
enum OfficerSessionsFixture {
    static func digest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).hexEncoded
    }
}
