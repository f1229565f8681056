import Foundation
import KKDomain
import KKStore
import Postgres

/// The officers table's changes, inside the caller's transaction, so an admin
/// operation commits the change and its audit entry together.
public enum OfficerAccounts {
    /// Checks an officer's fields the way the table does, with the officer's wording.
    public static func validate(username: String, nip: String, role: Role) throws {
        guard username.wholeMatch(of: /[a-z0-9._-]{3,64}/) != nil else { throw OfficerError.invalidUsername(username) }
        guard nip.wholeMatch(of: /[0-9]{18}/) != nil else { throw OfficerError.invalidNIP(nip) }
        guard Officer.officerRoles.contains(role) else { throw OfficerError.invalidRole(role.rawValue) }
    }

    /// The password's scrypt hash, refusing one shorter than the minimum.
    public static func hash(_ password: String, parameters: PasswordHasher.Parameters = .standard) throws -> String {
        guard password.count >= PasswordHasher.minimumPasswordLength else {
            throw OfficerError.weakPassword(minimumLength: PasswordHasher.minimumPasswordLength)
        }
        return try PasswordHasher.hash(password, parameters: parameters)
    }

    public static func insert(
        username: String, fullName: String, nip: String, role: Role, passwordHash: String, in tx: PostgresTransaction
    ) async throws -> Officer {
        try validate(username: username, nip: nip, role: role)
        if try await exists(username, in: tx) { throw OfficerError.alreadyExists(username: username) }
        let nipTaken = try await !tx.query("SELECT 1 FROM officers WHERE nip = \(nip)").rows.isEmpty
        if nipTaken { throw OfficerError.nipInUse(nip) }
        try await tx.execute(
            """
            INSERT INTO officers (username, full_name, nip, role, password_hash)
            VALUES (\(username), \(fullName), \(nip), \(role.rawValue), \(passwordHash))
            """)
        return Officer(username: username, fullName: fullName, nip: nip, role: role, active: true)
    }

    public static func find(_ username: String, in tx: PostgresTransaction) async throws -> Officer? {
        try await tx.query("SELECT username, full_name, nip, role, active FROM officers WHERE username = \(username)")
            .rows.first.map(Officer.init(row:))
    }

    static func exists(_ username: String, in tx: PostgresTransaction) async throws -> Bool {
        try await !tx.query("SELECT 1 FROM officers WHERE username = \(username)").rows.isEmpty
    }

    /// The officer, or the refusal naming an unknown one.
    public static func required(_ username: String, in tx: PostgresTransaction) async throws -> Officer {
        guard let officer = try await find(username, in: tx) else { throw OfficerError.unknownOfficer(username: username) }
        return officer
    }

    /// Enables or disables an officer. Disabling ends their sessions and puts
    /// every request they had taken back in its queue; returns how many.
    public static func setActive(_ username: String, _ active: Bool, in tx: PostgresTransaction) async throws -> Int {
        let changed = try await tx.query(
            "UPDATE officers SET active = \(active), updated_at = now() WHERE username = \(username) RETURNING username"
        ).rows.count
        guard changed == 1 else { throw OfficerError.unknownOfficer(username: username) }
        guard !active else { return 0 }
        try await tx.execute("DELETE FROM officer_sessions WHERE username = \(username)")
        return try await OfficerQueue.releaseAll(of: username, in: tx)
    }

    /// Moves an officer to another role (a rotation or promotion); their
    /// sessions end. What they did in the old role still counts for four eyes.
    public static func setRole(_ username: String, _ role: Role, in tx: PostgresTransaction) async throws {
        guard Officer.officerRoles.contains(role) else { throw OfficerError.invalidRole(role.rawValue) }
        let changed = try await tx.execute("UPDATE officers SET role = \(role.rawValue), updated_at = now() WHERE username = \(username)")
        guard changed == 1 else { throw OfficerError.unknownOfficer(username: username) }
        try await tx.execute("DELETE FROM officer_sessions WHERE username = \(username)")
    }

    /// A new password (already hashed); the officer's sessions end and any lock is lifted.
    public static func setPasswordHash(_ username: String, _ hash: String, in tx: PostgresTransaction) async throws {
        let changed = try await tx.execute(
            """
            UPDATE officers SET password_hash = \(hash), failed_sign_ins = 0, locked_until = NULL, updated_at = now()
            WHERE username = \(username)
            """)
        guard changed == 1 else { throw OfficerError.unknownOfficer(username: username) }
        try await tx.execute("DELETE FROM officer_sessions WHERE username = \(username)")
    }

    /// Ends every session of an officer (a lost laptop, a suspicion); returns how many.
    public static func revokeSessions(of username: String, in tx: PostgresTransaction) async throws -> Int {
        guard try await exists(username, in: tx) else { throw OfficerError.unknownOfficer(username: username) }
        return try await tx.execute("DELETE FROM officer_sessions WHERE username = \(username)")
    }

    /// How many active administrators there are.
    public static func activeAdministrators(in tx: PostgresTransaction) async throws -> Int {
        Int(try await tx.query("SELECT count(*)::bigint AS n FROM officers WHERE role = 'admin' AND active").rows[0].decode("n", as: Int64.self))
    }
}

extension Officer {
    public init(row: PostgresRow) throws {
        let roleText = try row.decode("role", as: String.self)
        guard let role = Role(rawValue: roleText) else { throw OfficerError.invalidRole(roleText) }
        self.init(
            username: try row.decode("username", as: String.self),
            fullName: try row.decode("full_name", as: String.self),
            nip: try row.decode("nip", as: String.self),
            role: role,
            active: try row.decode("active", as: Bool.self))
    }
}
