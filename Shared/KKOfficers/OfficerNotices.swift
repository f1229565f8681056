import Foundation
import Postgres

/// What an officer must be told the next time their CLI reaches a service,
/// e.g. that a Kasi/Kabid released a request they had taken.
public enum OfficerNotices {
    /// Leaves `message` for `username`, in the transaction of the action it tells about.
    public static func post(to username: String, _ message: String, in tx: PostgresTransaction) async throws {
        try await tx.execute("INSERT INTO officer_notices (username, message) VALUES (\(username), \(message))")
    }

    /// The officer's undelivered notices, oldest first, marked delivered.
    public static func takePending(for username: String, pool: PostgresPool) async throws -> [String] {
        try await pool.query(
            """
            UPDATE officer_notices SET delivered_at = now() WHERE id IN (
                SELECT id FROM officer_notices WHERE username = \(username) AND delivered_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED)
            RETURNING id, message
            """
        ).rows.map { (try $0.decode("id", as: Int64.self), try $0.decode("message", as: String.self)) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
