import Foundation
import KKDomain
import Postgres

/// An officer's successful command on a request, as the audit log records it
/// (`show`, `take`, `media`, `open`, ...): the first one inside a step marks
/// where waiting for the officer ends and the officer's work begins.
public struct OfficerTouch: Sendable, Equatable {
    public let requestID: UUID
    public let username: String
    public let at: Date

    public init(requestID: UUID, username: String, at: Date) {
        self.requestID = requestID
        self.username = username
        self.at = at
    }

    /// The touches of every request with a step completed in [start, end)
    /// (the requests an SLA report over that period measures), oldest first.
    public static func ofRequestsActive(from start: Date, to end: Date, in tx: PostgresTransaction) async throws -> [OfficerTouch] {
        try await tx.query(
            """
            SELECT a.request_id, a.username, a.occurred_at FROM audit_log a
            WHERE a.outcome = 'ok' AND a.request_id IN (
                SELECT DISTINCT request_id FROM request_events
                WHERE occurred_at >= \(start) AND occurred_at < \(end) AND action IS NOT NULL)
            ORDER BY a.occurred_at
            """
        ).rows.map(touch(from:))
    }

    /// The touches of one request.
    public static func of(_ requestID: UUID, in tx: PostgresTransaction) async throws -> [OfficerTouch] {
        try await tx.query(
            "SELECT request_id, username, occurred_at FROM audit_log WHERE outcome = 'ok' AND request_id = \(requestID) ORDER BY occurred_at"
        ).rows.map(touch(from:))
    }

    static func touch(from row: PostgresRow) throws -> OfficerTouch {
        OfficerTouch(
            requestID: try row.decode("request_id", as: UUID.self), username: try row.decode("username", as: String.self),
            at: try row.decode("occurred_at", as: Date.self))
    }
}
