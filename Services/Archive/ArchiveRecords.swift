import Foundation
import Postgres

/// A request whose archive waits for a retry (`archive_pending`), as the retry and `kk-archive status` read it.
struct PendingArchive: Sendable {
    let requestID: UUID
    let documentID: UUID
    /// The print officer who asked for it (SOP 10 as written); nil when the system did.
    let requestedBy: String?
}

/// kk-archive's store: what each archived request holds (`archive_items`), which
/// target has a verified copy of each file (`archive_copies`), and what waits for
/// a retry (`archive_pending`). Each runs in the caller's transaction.
enum ArchiveRecords {
    /// Records a file of the request's archive (a second archive of the same name takes the newer digest).
    static func recordItem(_ requestID: UUID, name: String, sha256: String, size: Int, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            INSERT INTO archive_items (request_id, sha256, name, size_bytes) VALUES (\(requestID), \(sha256), \(name), \(size))
            ON CONFLICT (request_id, name) DO UPDATE SET sha256 = EXCLUDED.sha256, size_bytes = EXCLUDED.size_bytes
            """)
    }

    /// The files of a request's archive, by name: (name, SHA-256).
    static func items(of requestID: UUID, in tx: PostgresTransaction) async throws -> [(name: String, sha256: String)] {
        try await tx.query("SELECT name, sha256 FROM archive_items WHERE request_id = \(requestID) ORDER BY name").rows.map {
            (try $0.decode("name", as: String.self), try $0.decode("sha256", as: String.self))
        }
    }

    /// Every archived file's digest, once each.
    static func allDigests(in tx: PostgresTransaction) async throws -> [String] {
        try await tx.query("SELECT DISTINCT sha256 FROM archive_items ORDER BY sha256").rows.map { try $0.decode("sha256", as: String.self) }
    }

    /// Records that `target` holds a copy of the file, read back and verified at `time`.
    static func recordCopy(sha256: String, target: String, verifiedAt time: Date, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            INSERT INTO archive_copies (sha256, target, verified_at) VALUES (\(sha256), \(target), \(time))
            ON CONFLICT (sha256, target) DO UPDATE SET verified_at = EXCLUDED.verified_at
            """)
    }

    /// The targets holding a verified copy of the file.
    static func targets(holding sha256: String, in tx: PostgresTransaction) async throws -> Set<String> {
        Set(try await tx.query("SELECT target FROM archive_copies WHERE sha256 = \(sha256)").rows.map { try $0.decode("target", as: String.self) })
    }

    /// How many verified copies `target` holds.
    static func copyCount(on target: String, in tx: PostgresTransaction) async throws -> Int64 {
        try await tx.query("SELECT count(*)::bigint AS n FROM archive_copies WHERE target = \(target)").rows[0].decode("n", as: Int64.self)
    }

    /// The archive could not be completed: tried again at `checkAt`, with the reason.
    static func retryLater(
        _ requestID: UUID, documentID: UUID, at checkAt: Date, reason: String, requestedBy: String?, in tx: PostgresTransaction
    ) async throws {
        try await tx.execute(
            """
            INSERT INTO archive_pending (request_id, document_id, attempts, check_at, last_error, requested_by)
            VALUES (\(requestID), \(documentID), 1, \(checkAt), \(reason), \(requestedBy))
            ON CONFLICT (request_id) DO UPDATE SET attempts = archive_pending.attempts + 1, check_at = EXCLUDED.check_at,
                last_error = EXCLUDED.last_error, requested_by = EXCLUDED.requested_by
            """)
    }

    /// The request no longer waits for a retry (archived, or no longer to be archived).
    static func forgetPending(_ requestID: UUID, in tx: PostgresTransaction) async throws {
        try await tx.execute("DELETE FROM archive_pending WHERE request_id = \(requestID)")
    }

    /// Up to `limit` retries whose time came, soonest first.
    static func dueRetries(limit: Int, in tx: PostgresTransaction) async throws -> [PendingArchive] {
        try await tx.query(
            """
            SELECT request_id, document_id, requested_by FROM archive_pending WHERE check_at <= now()
            ORDER BY check_at LIMIT \(limit)
            """
        ).rows.map { row in
            PendingArchive(
                requestID: try row.decode("request_id", as: UUID.self), documentID: try row.decode("document_id", as: UUID.self),
                requestedBy: try row.decode("requested_by", as: String?.self))
        }
    }

    /// What waits for a retry, soonest first, for `kk-archive status`: (request number, attempts, last error).
    static func waiting(in tx: PostgresTransaction) async throws -> [(number: String, attempts: Int, lastError: String?)] {
        try await tx.query(
            "SELECT r.number, p.attempts, p.last_error FROM archive_pending p JOIN requests r ON r.id = p.request_id ORDER BY p.check_at"
        ).rows.map {
            (try $0.decode("number", as: String.self), Int(try $0.decode("attempts", as: Int32.self)), try $0.decode("last_error", as: String?.self))
        }
    }
}
