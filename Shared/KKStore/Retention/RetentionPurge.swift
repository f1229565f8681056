import Foundation
import KKDomain
import Postgres

/// Applies the retention schedule to PostgreSQL (issue 19 item 4): what a run
/// removed, or with `dryRun` what it would. The archive keeps its copies.
public enum RetentionPurge {
    /// What one run removed (or would).
    public struct Outcome: Codable, Sendable, Equatable {
        /// Requests archived or cancelled longer ago than the schedule's document days, with something left to remove.
        public var requests = 0
        /// Photos, files and signed PDFs whose bytes left the database.
        public var files = 0
        public var bytes: Int64 = 0
        /// Applicants' NIKs removed with their request's files.
        public var identities = 0
        /// Message texts (from and to applicants) blanked.
        public var messages = 0
        /// Published outbox rows deleted.
        public var outboxRows = 0
        /// Webhook bodies the gateway gave up recording (dead), deleted.
        public var deadWebhookBodies = 0

        public init() {}

        public var indonesianLines: [String] {
            [
                "Permohonan selesai/dibatalkan yang datanya dihapus: \(requests)",
                "Foto, berkas dan PDF KK (bytes dihapus, salinan tetap di arsip): \(files) (\(bytes) byte)",
                "NIK pemohon dihapus: \(identities)",
                "Isi pesan WhatsApp dikosongkan: \(messages)",
                "Baris outbox terkirim dihapus: \(outboxRows)",
                "Kiriman webhook WhatsApp yang gagal dicatat dihapus: \(deadWebhookBodies)",
            ]
        }
    }

    /// The requests past the document retention, at most `limit`, each with its closing state.
    static func dueRequests(_ schedule: RetentionSchedule, now: Date, limit: Int, in tx: PostgresTransaction) async throws -> [(UUID, String)] {
        let cutoff = now.addingTimeInterval(-Double(schedule.documentDays) * 86_400)
        return try await tx.query(
            """
            SELECT r.id, r.number FROM requests r
            WHERE r.state IN (\(RequestState.archived.rawValue), \(RequestState.cancelled.rawValue))
              AND r.state_entered_at < \(cutoff)
              AND (EXISTS (SELECT 1 FROM media m WHERE m.request_id = r.id AND m.bytes IS NOT NULL)
                   OR EXISTS (SELECT 1 FROM applicant_identities i WHERE i.request_id = r.id))
            ORDER BY r.state_entered_at LIMIT \(limit)
            """
        ).rows.map { (try $0.decode("id", as: UUID.self), try $0.decode("number", as: String.self)) }
    }

    /// One run, in one transaction: each request's files and NIK, then old message
    /// texts and published outbox rows. `actor` names who ran it in the audit log
    /// (an administrator's username, or the periodic job).
    public static func run(
        _ schedule: RetentionSchedule, dryRun: Bool, actor: (username: String, role: String?, service: String), limit: Int = 500,
        now: Date = Date(), in tx: PostgresTransaction
    ) async throws -> Outcome {
        var outcome = Outcome()
        let conversationCutoff = now.addingTimeInterval(-Double(schedule.conversationDays) * 86_400)
        for (id, number) in try await dueRequests(schedule, now: now, limit: limit, in: tx) {
            outcome.requests += 1
            let files = try await tx.query(
                "SELECT count(*)::bigint AS n, coalesce(sum(size_bytes), 0)::bigint AS b FROM media WHERE request_id = \(id) AND bytes IS NOT NULL"
            ).rows[0]
            let fileCount = Int(try files.decode("n", as: Int64.self))
            let fileBytes = try files.decode("b", as: Int64.self)
            let hadIdentity = try await ApplicantIdentities.load(id, in: tx) != nil
            outcome.files += fileCount
            outcome.bytes += fileBytes
            outcome.identities += hadIdentity ? 1 : 0
            guard !dryRun else { continue }
            try await tx.execute(
                """
                UPDATE media SET bytes = NULL, location = 'archive:' || sha256, purged_at = now()
                WHERE request_id = \(id) AND bytes IS NOT NULL
                """)
            try await tx.execute("DELETE FROM applicant_identities WHERE request_id = \(id)")
            try await AuditLog.record(
                username: actor.username, role: actor.role, service: actor.service, command: "retensi", requestID: id, outcome: .ok,
                detail: "\(number): \(fileCount) berkas (\(fileBytes) byte) dihapus dari basis data, salinan di arsip"
                    + (hadIdentity ? "; NIK pemohon dihapus" : ""),
                in: tx)
        }
        if dryRun {
            outcome.messages = Int(
                try await tx.query(
                    """
                    SELECT (SELECT count(*) FROM wa_inbound WHERE body IS NOT NULL AND received_at < \(conversationCutoff))
                         + (SELECT count(*) FROM wa_outbound WHERE body IS NOT NULL AND claimed_at < \(conversationCutoff)) AS n
                    """
                ).rows[0].decode("n", as: Int64.self))
            outcome.outboxRows = Int(
                try await tx.query(
                    "SELECT count(*)::bigint AS n FROM outbox WHERE sent_at IS NOT NULL AND sent_at < \(conversationCutoff)"
                ).rows[0].decode("n", as: Int64.self))
            outcome.deadWebhookBodies = Int(
                try await tx.query(
                    "SELECT count(*)::bigint AS n FROM wa_webhook_inbox WHERE dead_at IS NOT NULL AND received_at < \(conversationCutoff)"
                ).rows[0].decode("n", as: Int64.self))
            return outcome
        }
        outcome.messages = try await tx.execute("UPDATE wa_inbound SET body = NULL WHERE body IS NOT NULL AND received_at < \(conversationCutoff)")
        outcome.messages += try await tx.execute("UPDATE wa_outbound SET body = NULL WHERE body IS NOT NULL AND claimed_at < \(conversationCutoff)")
        outcome.outboxRows = try await tx.execute("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < \(conversationCutoff)")
        outcome.deadWebhookBodies = try await tx.execute(
            "DELETE FROM wa_webhook_inbox WHERE dead_at IS NOT NULL AND received_at < \(conversationCutoff)")
        if outcome != Outcome() {
            try await AuditLog.record(
                username: actor.username, role: actor.role, service: actor.service, command: "retensi", outcome: .ok,
                detail: "jadwal \(schedule.documentDays)/\(schedule.conversationDays) hari: " + outcome.indonesianLines.joined(separator: "; "), in: tx)
        }
        return outcome
    }
}
