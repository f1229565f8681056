import Foundation
import KKDomain
import KKRuntime
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

    @Test("a session token signs the officer in until it expires, and ends when the officer is disabled")
    func sessions() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 1, logger: TestStack.logger)
        let directory = OfficerDirectory(pool: pool, hashParameters: Self.fast)
        let officer = try await directory.add(username: "kadis", fullName: "Kepala Dinas", nip: "197001011995031001", role: .headOfDepartment, password: "kata-sandi-kadis")
        let token = try await directory.createSession(for: officer)
        #expect(try await directory.officer(forSession: token) == officer)
        let expired = try await directory.createSession(for: officer, lifetime: .seconds(-1))
        await #expect(throws: OfficerError.sessionExpired) { try await directory.officer(forSession: expired) }
        await #expect(throws: OfficerError.notSignedIn) { try await directory.officer(forSession: "bukan-token") }
        try await directory.setActive("kadis", false)
        await #expect(throws: OfficerError.notSignedIn) { try await directory.officer(forSession: token) }
        await pool.close()
    }

    @Test("a command outside the officer's role is refused, and the refusal is in the audit log")
    func roleGate() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 1, logger: TestStack.logger)
        let directory = OfficerDirectory(pool: pool, hashParameters: Self.fast)
        let officer = try await directory.add(username: "cetak", fullName: "Petugas Cetak", nip: "199001012015031001", role: .printOfficer, password: "kata-sandi-cetak")
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
