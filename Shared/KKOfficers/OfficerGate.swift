import Foundation
import KKDomain
import KKStore
import Postgres

/// Decides whether a signed-in officer may run a command, and writes every
/// decision to the audit log: a refused command leaves no trace but its audit entry.
public struct OfficerGate: Sendable {
    private let pool: PostgresPool
    private let service: String

    public init(pool: PostgresPool, service: String) {
        self.pool = pool
        self.service = service
    }

    public func authorize(_ officer: Officer, command: String, allowed: Set<Role>, requestID: UUID? = nil) async throws {
        guard allowed.contains(officer.role) else {
            let ordered = Role.allCases.filter(allowed.contains)
            let error = OfficerError.roleNotAllowed(command: command, role: officer.role, allowed: ordered)
            try await AuditLog.record(
                username: officer.username, role: officer.role.rawValue, service: service, command: command,
                requestID: requestID, outcome: .refused, detail: error.description, pool: pool)
            throw error
        }
    }

    /// Records the outcome of a command that was allowed.
    public func record(_ officer: Officer, command: String, requestID: UUID? = nil, outcome: AuditLog.Outcome, detail: String? = nil) async throws {
        try await AuditLog.record(
            username: officer.username, role: officer.role.rawValue, service: service, command: command,
            requestID: requestID, outcome: outcome, detail: detail, pool: pool)
    }
}
