import Foundation
import KKLogging
import Postgres

/// Every officer command and sign-in, allowed or refused, with who ran it.
public enum AuditLog {
    public enum Outcome: String, Sendable {
        case ok, refused, failed
    }

    /// Writes the entry inside `tx`, so it commits or rolls back with the action it records.
    public static func record(
        username: String, role: String?, service: String, command: String, requestID: UUID? = nil,
        outcome: Outcome, detail: String? = nil, in tx: PostgresTransaction
    ) async throws {
        try await tx.execute(insert(username: username, role: role, service: service, command: command, requestID: requestID, outcome: outcome, detail: detail))
    }

    /// Writes the entry on its own, for an action that did not happen (a refusal, a failure).
    public static func record(
        username: String, role: String?, service: String, command: String, requestID: UUID? = nil,
        outcome: Outcome, detail: String? = nil, pool: PostgresPool
    ) async throws {
        try await pool.execute(
            insert(username: username, role: role, service: service, command: command, requestID: requestID, outcome: outcome, detail: detail))
    }

    private static func insert(
        username: String, role: String?, service: String, command: String, requestID: UUID?, outcome: Outcome, detail: String?
    ) -> PostgresQuery {
        """
        INSERT INTO audit_log (username, role, service, command, request_id, outcome, detail)
        VALUES (\(username), \(role), \(service), \(command), \(requestID), \(outcome.rawValue), \(detail.map(PersonalDataMasker.mask)))
        """
    }
}
