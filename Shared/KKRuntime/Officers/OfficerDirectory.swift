import Crypto
import Foundation
import KKDomain
import Postgres

/// The officers table: registration, sign-in and CLI sessions.
public struct OfficerDirectory: Sendable {
    private let pool: PostgresPool
    private let hashParameters: PasswordHasher.Parameters

    public init(pool: PostgresPool, hashParameters: PasswordHasher.Parameters = .standard) {
        self.pool = pool
        self.hashParameters = hashParameters
    }

    public func add(username: String, fullName: String, nip: String, role: Role, password: String) async throws -> Officer {
        guard username.wholeMatch(of: /[a-z0-9._-]{3,64}/) != nil else { throw OfficerError.invalidUsername(username) }
        guard nip.wholeMatch(of: /[0-9]{18}/) != nil else { throw OfficerError.invalidNIP(nip) }
        guard Officer.officerRoles.contains(role) else { throw OfficerError.invalidRole(role.rawValue) }
        guard password.count >= PasswordHasher.minimumPasswordLength else {
            throw OfficerError.weakPassword(minimumLength: PasswordHasher.minimumPasswordLength)
        }
        let hash = try PasswordHasher.hash(password, parameters: hashParameters)
        do {
            try await pool.execute(
                """
                INSERT INTO officers (username, full_name, nip, role, password_hash)
                VALUES (\(username), \(fullName), \(nip), \(role.rawValue), \(hash))
                """)
        } catch let error as PostgresError where error.isUniqueViolation {
            throw OfficerError.alreadyExists(username: username)
        }
        return Officer(username: username, fullName: fullName, nip: nip, role: role, active: true)
    }

    public func list() async throws -> [Officer] {
        let result = try await pool.query("SELECT username, full_name, nip, role, active FROM officers ORDER BY role, username")
        return try result.rows.map(Self.officer(from:))
    }

    public func find(_ username: String) async throws -> Officer? {
        let result = try await pool.query(
            "SELECT username, full_name, nip, role, active FROM officers WHERE username = \(username)")
        return try result.rows.first.map(Self.officer(from:))
    }

    public func setActive(_ username: String, _ active: Bool) async throws {
        let changed = try await pool.execute(
            "UPDATE officers SET active = \(active), updated_at = now() WHERE username = \(username)")
        guard changed == 1 else { throw OfficerError.unknownOfficer(username: username) }
        if !active { try await pool.execute("DELETE FROM officer_sessions WHERE username = \(username)") }
    }

    /// Moves an officer to another SOP role (a rotation or promotion); their
    /// sessions end. What they did in the old role still counts for four eyes.
    public func setRole(_ username: String, _ role: Role) async throws {
        guard Officer.officerRoles.contains(role) else { throw OfficerError.invalidRole(role.rawValue) }
        let changed = try await pool.execute(
            "UPDATE officers SET role = \(role.rawValue), updated_at = now() WHERE username = \(username)")
        guard changed == 1 else { throw OfficerError.unknownOfficer(username: username) }
        try await pool.execute("DELETE FROM officer_sessions WHERE username = \(username)")
    }

    public func resetPassword(_ username: String, to password: String) async throws {
        guard password.count >= PasswordHasher.minimumPasswordLength else {
            throw OfficerError.weakPassword(minimumLength: PasswordHasher.minimumPasswordLength)
        }
        let hash = try PasswordHasher.hash(password, parameters: hashParameters)
        let changed = try await pool.execute(
            "UPDATE officers SET password_hash = \(hash), updated_at = now() WHERE username = \(username)")
        guard changed == 1 else { throw OfficerError.unknownOfficer(username: username) }
        try await pool.execute("DELETE FROM officer_sessions WHERE username = \(username)")
    }

    /// Checks the password; an unknown user and a wrong password give the same error.
    public func signIn(username: String, password: String) async throws -> Officer {
        let result = try await pool.query(
            "SELECT username, full_name, nip, role, active, password_hash FROM officers WHERE username = \(username)")
        guard let row = result.rows.first else {
            _ = PasswordHasher.verify(password, against: Self.dummyHash)  // same cost as a real check
            throw OfficerError.wrongCredentials
        }
        guard PasswordHasher.verify(password, against: try row.decode("password_hash", as: String.self)) else {
            throw OfficerError.wrongCredentials
        }
        let officer = try Self.officer(from: row)
        guard officer.active else { throw OfficerError.inactive(username: username) }
        return officer
    }

    /// Starts a CLI session; only the token's SHA-256 is stored.
    public func createSession(for officer: Officer, lifetime: Duration = .seconds(8 * 3600)) async throws -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: .min ... .max, using: &rng) }
        let token = Data(bytes).base64EncodedString()
        let seconds = Int(lifetime.components.seconds)
        try await pool.execute(
            """
            INSERT INTO officer_sessions (token_sha256, username, expires_at)
            VALUES (\(Self.digest(token)), \(officer.username), now() + make_interval(secs => \(seconds)))
            """)
        return token
    }

    /// The officer a session token belongs to, if it is valid and the officer is active.
    public func officer(forSession token: String) async throws -> Officer {
        let result = try await pool.query(
            """
            SELECT o.username, o.full_name, o.nip, o.role, o.active, s.expires_at > now() AS valid
            FROM officer_sessions s JOIN officers o USING (username) WHERE s.token_sha256 = \(Self.digest(token))
            """)
        guard let row = result.rows.first else { throw OfficerError.notSignedIn }
        guard try row.decode("valid", as: Bool.self) else { throw OfficerError.sessionExpired }
        let officer = try Self.officer(from: row)
        guard officer.active else { throw OfficerError.inactive(username: officer.username) }
        return officer
    }

    public func endSession(_ token: String) async throws {
        try await pool.execute("DELETE FROM officer_sessions WHERE token_sha256 = \(Self.digest(token))")
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static let dummyHash = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

    private static func officer(from row: PostgresRow) throws -> Officer {
        let roleText = try row.decode("role", as: String.self)
        guard let role = Role(rawValue: roleText) else { throw OfficerError.invalidRole(roleText) }
        return Officer(
            username: try row.decode("username", as: String.self),
            fullName: try row.decode("full_name", as: String.self),
            nip: try row.decode("nip", as: String.self),
            role: role,
            active: try row.decode("active", as: Bool.self))
    }
}
