import Foundation
import Postgres

/// Webhook bodies the gateway gave up recording after its last attempt
/// (`wa_webhook_inbox` rows with `dead_at`), and the way back: a retry makes the
/// body due again with fresh attempts, and the gateway records it; what it
/// already recorded is a duplicate then.
public enum DeadWebhooks {
    public struct Body: Sendable, Equatable, Codable {
        public let id: Int64
        public let receivedAt: Date
        public let deadAt: Date
        public let attempts: Int
        public let reason: String
    }

    /// The dead bodies, oldest first.
    public static func list(in tx: PostgresTransaction) async throws -> [Body] {
        try await tx.query(
            "SELECT id, received_at, dead_at, attempts, coalesce(last_error, '') AS reason FROM wa_webhook_inbox WHERE dead_at IS NOT NULL ORDER BY id"
        ).rows.map { row in
            Body(
                id: try row.decode("id", as: Int64.self), receivedAt: try row.decode("received_at", as: Date.self),
                deadAt: try row.decode("dead_at", as: Date.self), attempts: Int(try row.decode("attempts", as: Int32.self)),
                reason: try row.decode("reason", as: String.self))
        }
    }

    /// Makes dead bodies due again (`ids`, or every dead one); returns the ones that were dead.
    public static func retry(_ ids: [Int64]?, in tx: PostgresTransaction) async throws -> [Int64] {
        let every = ids == nil
        let listed = (ids ?? []).map(String.init).joined(separator: ",")
        let rows = try await tx.query(
            """
            UPDATE wa_webhook_inbox SET dead_at = NULL, attempts = 0, next_attempt_at = now(), claimed_until = NULL
            WHERE dead_at IS NOT NULL AND (\(every) OR id = ANY(string_to_array(\(listed), ',')::bigint[])) RETURNING id
            """
        ).rows
        return try rows.map { try $0.decode("id", as: Int64.self) }.sorted()
    }
}
