import Foundation
import KKStore
import Postgres

/// The webhook bodies Meta sent that are not recorded yet (`wa_webhook_inbox`).
/// The webhook route stores a body whose signature checks and answers 200;
/// `WebhookInboxWorker` claims the bodies, records them and deletes them.
/// A claim is a lease (`claimed_until`), not an open transaction, renewed while
/// the body is worked on (`holding`): a gateway killed while recording leaves the
/// body to another replica once the lease ends, and recording it again is harmless (every message id is taken once,
/// a status never moves backwards).
struct WebhookInbox: Sendable {
    let pool: PostgresPool

    /// A body claimed for recording.
    struct Claimed: Sendable {
        let id: Int64
        let body: [UInt8]
        /// This claim's number: 1 on the first.
        let attempt: Int
    }

    /// Stores a body; `senderRef` orders one applicant's bodies.
    func store(_ body: [UInt8], senderRef: String?) async throws {
        try await pool.execute("INSERT INTO wa_webhook_inbox (sender_ref, body) VALUES (\(senderRef), \(body))")
    }

    /// Claims the oldest body that is due, not claimed by anyone (or whose lease
    /// ended) and not behind an earlier body of the same applicant still waiting,
    /// for `lease`. Nil when there is none.
    func claim(lease: Duration) async throws -> Claimed? {
        try await claim(lease: lease, upTo: 1).first
    }

    /// Claims up to `limit` such bodies in one statement, oldest first: at most one per
    /// applicant (each applicant's earliest body still waiting), so they can be recorded
    /// side by side. One claim per body, made one after another by the dispatcher, capped
    /// the inbox under load (a backlog of 700 bodies with one in hand); so did asking, for
    /// every waiting body, whether an earlier one of its applicant waits (93 ms a claim
    /// with 1,200 bodies waiting, on statistics the churn leaves stale): the earliest body
    /// of each applicant is read in one pass of the (sender_ref, id) index instead.
    func claim(lease: Duration, upTo limit: Int) async throws -> [Claimed] {
        let rows = try await pool.query(
            .binaryResults(
                """
                UPDATE wa_webhook_inbox SET claimed_until = now() + \(Self.milliseconds(lease)) * interval '1 millisecond', attempts = attempts + 1
                WHERE id IN (
                    SELECT i.id FROM wa_webhook_inbox i
                    WHERE (i.id IN (
                            SELECT DISTINCT ON (sender_ref) id FROM wa_webhook_inbox
                            WHERE dead_at IS NULL AND sender_ref IS NOT NULL ORDER BY sender_ref, id)
                          OR (i.sender_ref IS NULL AND i.dead_at IS NULL))
                      AND i.dead_at IS NULL AND i.next_attempt_at <= now() AND (i.claimed_until IS NULL OR i.claimed_until < now())
                    ORDER BY i.id LIMIT \(max(1, limit)) FOR UPDATE OF i SKIP LOCKED)
                RETURNING id, body, attempts
                """)
        ).rows
        return try rows.map { row in
            Claimed(
                id: try row.decode("id", as: Int64.self), body: try row.decode("body", as: [UInt8].self),
                attempt: Int(try row.decode("attempts", as: Int32.self)))
        }.sorted { $0.id < $1.id }
    }

    /// Gives claimed bodies back unworked (a gateway stopping): due again at once, the claim not counted as an attempt.
    func release(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await pool.execute(
            """
            UPDATE wa_webhook_inbox SET claimed_until = NULL, attempts = greatest(attempts - 1, 0)
            WHERE id = ANY(\(SQLArrayLiteral(ids))::bigint[]) AND dead_at IS NULL
            """)
    }

    /// Runs `work` on a claimed body while renewing its lease `every` so often (a third of it).
    func holding(_ id: Int64, lease: Duration, every interval: Duration? = nil, _ work: () async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while (try? await Task.sleep(for: interval ?? lease / 3)) != nil {
                    // A renewal that fails leaves the lease to end; recording the body twice is harmless.
                    _ = try? await pool.execute(
                        """
                        UPDATE wa_webhook_inbox SET claimed_until = now() + \(Self.milliseconds(lease)) * interval '1 millisecond'
                        WHERE id = \(id) AND dead_at IS NULL
                        """)
                }
            }
            await work()
            group.cancelAll()
        }
    }

    /// The body is recorded: it is deleted.
    func finish(_ id: Int64) async throws {
        try await pool.execute("DELETE FROM wa_webhook_inbox WHERE id = \(id)")
    }

    /// The body could not be recorded yet: it is tried again after `delay`.
    func postpone(_ id: Int64, by delay: Duration, reason: String) async throws {
        try await pool.execute(
            """
            UPDATE wa_webhook_inbox SET claimed_until = NULL, last_error = \(String(reason.prefix(2000))),
                next_attempt_at = now() + \(Self.milliseconds(delay)) * interval '1 millisecond'
            WHERE id = \(id)
            """)
    }

    /// The last attempt failed too: the body is dead until an operator retries it.
    func bury(_ id: Int64, reason: String) async throws {
        try await pool.execute(
            "UPDATE wa_webhook_inbox SET claimed_until = NULL, dead_at = now(), last_error = \(String(reason.prefix(2000))) WHERE id = \(id)")
    }

    /// Bodies waiting to be recorded, and dead ones.
    func depth() async throws -> (waiting: Int64, dead: Int64) {
        let row = try await pool.query(
            """
            SELECT count(*) FILTER (WHERE dead_at IS NULL)::bigint AS waiting, count(*) FILTER (WHERE dead_at IS NOT NULL)::bigint AS dead
            FROM wa_webhook_inbox
            """
        ).rows[0]
        return (try row.decode("waiting", as: Int64.self), try row.decode("dead", as: Int64.self))
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
