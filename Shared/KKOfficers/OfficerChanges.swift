import Foundation
import KKDomain
import KKStore
import Postgres

/// Changes that one administrator asks for and a second one approves: giving
/// or taking the Kepala Dinas' or an administrator's role, and setting the
/// password of someone who holds one. Until approved nothing changes.
public enum OfficerChanges {
    public enum Kind: String, Codable, Sendable {
        case add
        case setRole = "set_role"
        case resetPassword = "reset_password"
    }

    public struct Change: Codable, Sendable, Equatable {
        public let id: Int64
        public let kind: Kind
        public let username: String
        public let role: String?
        public let requestedBy: String
        public let requestedAt: Date

        /// One line for `kk-admin officer pending`, in Indonesian.
        public var summary: String {
            let what: String
            switch kind {
            case .add: what = "daftarkan \(username) sebagai \(role.flatMap(Role.init(rawValue:))?.indonesianName ?? role ?? "-")"
            case .setRole: what = "ubah peran \(username) menjadi \(role.flatMap(Role.init(rawValue:))?.indonesianName ?? role ?? "-")"
            case .resetPassword: what = "atur ulang kata sandi \(username)"
            }
            return "#\(id)\t\(what)\tdiajukan \(requestedBy), \(WIBTime.format(requestedAt))"
        }
    }

    /// Whether changing `current` to `next` needs a second administrator.
    public static func needsApproval(from current: Role?, to next: Role?) -> Bool {
        [current, next].contains { $0.map(Officer.privilegedRoles.contains) ?? false }
    }

    /// Records the change as waiting; returns its number.
    public static func request(
        _ kind: Kind, username: String, fullName: String? = nil, nip: String? = nil, role: Role? = nil, passwordHash: String? = nil,
        by requester: String, in tx: PostgresTransaction
    ) async throws -> Int64 {
        try await tx.query(
            """
            INSERT INTO officer_changes (kind, username, full_name, nip, role, password_hash, requested_by)
            VALUES (\(kind.rawValue), \(username), \(fullName), \(nip), \(role?.rawValue), \(passwordHash), \(requester))
            RETURNING id
            """
        ).rows[0].decode("id", as: Int64.self)
    }

    public static func pending(in tx: PostgresTransaction) async throws -> [Change] {
        try await tx.query(
            """
            SELECT id, kind, username, role, requested_by, requested_at FROM officer_changes
            WHERE decision IS NULL ORDER BY id
            """
        ).rows.map { row in
            Change(
                id: try row.decode("id", as: Int64.self),
                kind: Kind(rawValue: try row.decode("kind", as: String.self)) ?? .add,
                username: try row.decode("username", as: String.self),
                role: try row.decode("role", as: String?.self),
                requestedBy: try row.decode("requested_by", as: String.self),
                requestedAt: try row.decode("requested_at", as: Date.self))
        }
    }

    /// Approves (and carries out) or rejects a waiting change; the decider
    /// must not be the administrator who asked for it.
    public static func decide(_ id: Int64, approve: Bool, by decider: String, in tx: PostgresTransaction) async throws -> Change {
        let rows = try await tx.query(
            """
            SELECT id, kind, username, full_name, nip, role, password_hash, requested_by, requested_at
            FROM officer_changes WHERE id = \(id) AND decision IS NULL FOR UPDATE
            """
        ).rows
        guard let row = rows.first, let kind = Kind(rawValue: try row.decode("kind", as: String.self)) else {
            throw OfficerError.changeNotPending(id: id)
        }
        let requester = try row.decode("requested_by", as: String.self)
        guard requester != decider else { throw OfficerError.ownChange(id: id) }
        let username = try row.decode("username", as: String.self)
        let roleText = try row.decode("role", as: String?.self)
        if approve {
            switch kind {
            case .add:
                guard let roleText, let role = Role(rawValue: roleText) else { throw OfficerError.invalidRole(roleText ?? "") }
                _ = try await OfficerAccounts.insert(
                    username: username, fullName: try row.decode("full_name", as: String?.self) ?? username,
                    nip: try row.decode("nip", as: String?.self) ?? "", role: role,
                    passwordHash: try row.decode("password_hash", as: String?.self) ?? "", in: tx)
            case .setRole:
                guard let roleText, let role = Role(rawValue: roleText) else { throw OfficerError.invalidRole(roleText ?? "") }
                try await OfficerAccounts.setRole(username, role, in: tx)
            case .resetPassword:
                try await OfficerAccounts.setPasswordHash(username, try row.decode("password_hash", as: String?.self) ?? "", in: tx)
            }
        }
        // The hash of a password not set is not kept.
        try await tx.execute(
            """
            UPDATE officer_changes SET decision = \(approve ? "approved" : "rejected"), decided_by = \(decider), decided_at = now(),
                   password_hash = NULL
            WHERE id = \(id)
            """)
        return Change(
            id: id, kind: kind, username: username, role: roleText, requestedBy: requester,
            requestedAt: try row.decode("requested_at", as: Date.self))
    }
}
