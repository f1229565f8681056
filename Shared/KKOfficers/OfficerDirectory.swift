import Crypto
import Foundation
import Hex
import KKDomain
import KKStore
import Postgres

/// The officers table: registration, sign-in and CLI sessions.
public struct OfficerDirectory: Sendable {
    private let pool: PostgresPool
    private let hashParameters: PasswordHasher.Parameters
    private let policy: SessionPolicy

    public init(pool: PostgresPool, hashParameters: PasswordHasher.Parameters = .standard, policy: SessionPolicy = .standard) {
        self.pool = pool
        self.hashParameters = hashParameters
        self.policy = policy
    }

    public func add(username: String, fullName: String, nip: String, role: Role, password: String) async throws -> Officer {
        try OfficerAccounts.validate(username: username, nip: nip, role: role)
        let hash = try OfficerAccounts.hash(password, parameters: hashParameters)
        return try await pool.withTransaction {
            try await OfficerAccounts.insert(username: username, fullName: fullName, nip: nip, role: role, passwordHash: hash, in: $0)
        }
    }

    public func list() async throws -> [Officer] {
        let result = try await pool.query("SELECT username, full_name, nip, role, active FROM officers ORDER BY role, username")
        return try result.rows.map(Officer.init(row:))
    }

    public func find(_ username: String) async throws -> Officer? {
        try await pool.withTransaction { try await OfficerAccounts.find(username, in: $0) }
    }

    /// Enables or disables an officer (see `OfficerAccounts.setActive`).
    @discardableResult
    public func setActive(_ username: String, _ active: Bool) async throws -> Int {
        try await pool.withTransaction { try await OfficerAccounts.setActive(username, active, in: $0) }
    }

    public func setRole(_ username: String, _ role: Role) async throws {
        try await pool.withTransaction { try await OfficerAccounts.setRole(username, role, in: $0) }
    }

    public func resetPassword(_ username: String, to password: String) async throws {
        let hash = try OfficerAccounts.hash(password, parameters: hashParameters)
        try await pool.withTransaction { try await OfficerAccounts.setPasswordHash(username, hash, in: $0) }
    }

    /// Checks the password, server-side: an unknown user and a wrong password
    /// give the same error; every refusal is audited (in the same transaction
    /// as the failure count); after `policy.maxFailedSignIns` wrong passwords
    /// in a row the account is locked for `policy.lockSeconds`. A hash made with
    /// weaker scrypt parameters than today's is replaced after a good sign-in.
    public func signIn(username: String, password: String, service: String = "kk-admin") async throws -> Officer {
        let policy = self.policy
        let attempt = try await pool.withTransaction { tx -> SignInAttempt in
            let rows = try await tx.query(
                """
                SELECT username, full_name, nip, role, active, password_hash, failed_sign_ins, locked_until,
                       locked_until IS NOT NULL AND locked_until > now() AS locked
                FROM officers WHERE username = \(username) FOR UPDATE
                """
            ).rows
            func refuse(_ detail: String, role: String? = nil) async throws {
                try await AuditLog.record(username: username, role: role, service: service, command: "login", outcome: .refused, detail: detail, in: tx)
            }
            guard let row = rows.first else {
                _ = PasswordHasher.verify(password, against: Self.dummyHash)  // same cost as a real check
                try await refuse("nama pengguna tidak terdaftar")
                return .wrong
            }
            let role = try row.decode("role", as: String.self)
            if try row.decode("locked", as: Bool.self), let until = try row.decode("locked_until", as: Date?.self) {
                try await refuse("akun terkunci sampai \(WIBTime.format(until))", role: role)
                return .locked(until: until)
            }
            let stored = try row.decode("password_hash", as: String.self)
            guard PasswordHasher.verify(password, against: stored) else {
                let failures = Int(try row.decode("failed_sign_ins", as: Int32.self)) + 1
                if failures >= policy.maxFailedSignIns {
                    let until = try await tx.query(
                        """
                        UPDATE officers SET failed_sign_ins = 0, locked_until = now() + make_interval(secs => \(policy.lockSeconds))
                        WHERE username = \(username) RETURNING locked_until
                        """
                    ).rows[0].decode("locked_until", as: Date.self)
                    try await refuse("kata sandi salah \(failures) kali berturut-turut; akun dikunci sampai \(WIBTime.format(until))", role: role)
                    return .locked(until: until)
                }
                try await tx.execute("UPDATE officers SET failed_sign_ins = \(failures) WHERE username = \(username)")
                try await refuse("kata sandi salah (\(failures) dari \(policy.maxFailedSignIns))", role: role)
                return .wrong
            }
            let officer = try Officer(row: row)
            guard officer.active else {
                try await refuse("akun dinonaktifkan", role: role)
                return .inactive
            }
            try await tx.execute("UPDATE officers SET failed_sign_ins = 0, locked_until = NULL WHERE username = \(username)")
            try await AuditLog.record(username: username, role: role, service: service, command: "login", outcome: .ok, in: tx)
            return .signedIn(officer, rehash: PasswordHasher.needsRehash(stored, target: hashParameters))
        }
        switch attempt {
        case let .signedIn(officer, rehash):
            if rehash {
                let hash = try PasswordHasher.hash(password, parameters: hashParameters)
                try await pool.execute("UPDATE officers SET password_hash = \(hash) WHERE username = \(username)")
            }
            return officer
        case .wrong: throw OfficerError.wrongCredentials
        case let .locked(until): throw OfficerError.locked(until: until)
        case .inactive: throw OfficerError.inactive(username: username)
        }
    }

    private enum SignInAttempt: Sendable {
        case signedIn(Officer, rehash: Bool)
        case wrong
        case locked(until: Date)
        case inactive
    }

    /// Starts a session; only the token's SHA-256 is stored. It ends after
    /// `policy.idleSeconds` unused or `policy.absoluteSeconds` in all.
    public func createSession(for officer: Officer, service: String = "kk-admin") async throws -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: .min ... .max, using: &rng) }
        let token = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        try await pool.execute(
            """
            INSERT INTO officer_sessions (token_sha256, username, expires_at, service)
            VALUES (\(Self.digest(token)), \(officer.username), now() + make_interval(secs => \(policy.absoluteSeconds)), \(service))
            """)
        return token
    }

    /// The officer a session token belongs to, if the session is neither idle
    /// too long nor past its lifetime and the officer is active; marks it used.
    public func officer(forSession token: String) async throws -> Officer {
        let digest = Self.digest(token)
        let rows = try await pool.query(
            """
            UPDATE officer_sessions s SET last_used_at = now()
            FROM officers o
            WHERE s.token_sha256 = \(digest) AND o.username = s.username
              AND s.expires_at > now() AND s.last_used_at > now() - make_interval(secs => \(policy.idleSeconds))
            RETURNING o.username, o.full_name, o.nip, o.role, o.active
            """
        ).rows
        guard let row = rows.first else {
            // Expired (or revoked: then there is no row at all): the stale row goes.
            let removed = try await pool.execute("DELETE FROM officer_sessions WHERE token_sha256 = \(digest)")
            throw removed > 0 ? OfficerError.sessionExpired : OfficerError.notSignedIn
        }
        let officer = try Officer(row: row)
        guard officer.active else { throw OfficerError.inactive(username: officer.username) }
        return officer
    }

    public func endSession(_ token: String) async throws {
        try await pool.execute("DELETE FROM officer_sessions WHERE token_sha256 = \(Self.digest(token))")
    }

    /// Ends every session of an officer; returns how many.
    @discardableResult
    public func revokeSessions(of username: String) async throws -> Int {
        try await pool.withTransaction { try await OfficerAccounts.revokeSessions(of: username, in: $0) }
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).hexEncoded
    }

    private static let dummyHash = "scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
}
