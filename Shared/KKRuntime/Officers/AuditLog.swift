import Foundation
import Postgres

/// Every officer command, allowed or refused, with who ran it.
public enum AuditLog {
    public enum Outcome: String, Sendable {
        case ok, refused, failed
    }

    public static func record(
        username: String, role: String?, service: String, command: String, requestID: UUID? = nil,
        outcome: Outcome, detail: String? = nil, pool: PostgresPool
    ) async throws {
        try await pool.execute(
            """
            INSERT INTO audit_log (username, role, service, command, request_id, outcome, detail)
            VALUES (\(username), \(role), \(service), \(command), \(requestID), \(outcome.rawValue), \(detail))
            """)
    }
}
