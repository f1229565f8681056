import Foundation
import KKDomain
import KKStore
import Postgres

/// kk-deliver's store: every statement on `deliveries`, and its reads of the
/// gateway's `document_sends`. Each runs in the caller's transaction; the ones
/// that lock say so.
enum Deliveries {
    /// The delivery of a request; `lock` holds its row until the transaction ends.
    static func find(_ requestID: UUID, lock: Bool = false, in tx: PostgresTransaction) async throws -> Delivery? {
        try await tx.query("SELECT * FROM deliveries WHERE request_id = \(requestID) \(unescaped: lock ? "FOR UPDATE" : "")").rows.first.map { row in
            Delivery(
                requestID: try row.decode("request_id", as: UUID.self), documentID: try row.decode("document_id", as: UUID.self),
                state: try row.decode("state", as: String.self), attempt: Int(try row.decode("attempt", as: Int32.self)),
                lastError: try row.decode("last_error", as: String?.self), deliveredAt: try row.decode("delivered_at", as: Date?.self),
                sentBy: try row.decode("sent_by", as: String?.self))
        }
    }

    /// Records the first attempt (a second first attempt of the same request changes nothing).
    static func recordFirstAttempt(
        _ requestID: UUID, documentID: UUID, documentMessage: UUID, checkAt: Date, sentBy: String?, in tx: PostgresTransaction
    ) async throws {
        try await tx.execute(
            """
            INSERT INTO deliveries (request_id, document_id, document_message, state, check_at, sent_by)
            VALUES (\(requestID), \(documentID), \(documentMessage), \(DeliveryState.sending.rawValue), \(checkAt), \(sentBy))
            ON CONFLICT (request_id) DO NOTHING
            """)
    }

    /// Records the next attempt, with its own document message.
    static func recordNextAttempt(_ requestID: UUID, documentMessage: UUID, checkAt: Date, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            UPDATE deliveries SET attempt = attempt + 1, document_message = \(documentMessage), state = \(DeliveryState.sending.rawValue),
                check_at = \(checkAt), updated_at = now() WHERE request_id = \(requestID)
            """)
    }

    /// Delivered: at `time` when WhatsApp said so (SOP 9); without a time, a copy
    /// resent to an applicant who already had the KK leaves the first confirmation's.
    static func markDelivered(_ requestID: UUID, at time: Date?, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            UPDATE deliveries SET state = \(DeliveryState.delivered.rawValue), delivered_at = coalesce(\(time), delivered_at), updated_at = now()
            WHERE request_id = \(requestID)
            """)
    }

    /// WhatsApp refused the current attempt: tried again at the scheduler's next pass.
    static func retrySoon(_ requestID: UUID, reason: String, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            UPDATE deliveries SET state = \(DeliveryState.retrying.rawValue), check_at = now(), last_error = \(reason), updated_at = now()
            WHERE request_id = \(requestID)
            """)
    }

    /// No receipt yet, but the send is on its way: looked at again at `time`.
    static func checkAgain(_ requestID: UUID, at time: Date, in tx: PostgresTransaction) async throws {
        try await tx.execute("UPDATE deliveries SET check_at = \(time), updated_at = now() WHERE request_id = \(requestID)")
    }

    /// Every attempt went unconfirmed: for the print officer, with the reason (an earlier one is kept).
    static func handToOfficer(_ requestID: UUID, reason: String, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            UPDATE deliveries SET state = \(DeliveryState.needsOfficer.rawValue), last_error = coalesce(last_error, \(reason)), updated_at = now()
            WHERE request_id = \(requestID)
            """)
    }

    /// The gateway cannot tell whether WhatsApp took the document message `messageID`:
    /// its delivery, if still waiting for a receipt, is in doubt. Returns the requests marked.
    static func markInDoubt(documentMessage messageID: UUID, in tx: PostgresTransaction) async throws -> [UUID] {
        try await tx.query(
            """
            UPDATE deliveries SET state = \(DeliveryState.inDoubt.rawValue), updated_at = now(),
                last_error = 'mungkin sudah terkirim: pengiriman terputus, tanyakan pemohon sebelum kirim ulang'
            WHERE document_message = \(messageID) AND state = ANY(\(PostgresTextArray(DeliveryState.awaitingReceipt))) RETURNING request_id
            """
        ).rows.map { try $0.decode("request_id", as: UUID.self) }
    }

    /// Up to 20 deliveries waiting for a receipt whose check time has come, locked
    /// (others' locked ones skipped), with how far the current send got.
    static func due(at now: Date, in tx: PostgresTransaction) async throws -> [DueDelivery] {
        try await tx.query(
            """
            SELECT d.request_id, d.attempt, d.state, w.status AS reached, w.state AS ledger FROM deliveries d
            LEFT JOIN document_sends w ON w.message_id = d.document_message::text
            WHERE d.state = ANY(\(PostgresTextArray(DeliveryState.awaitingReceipt))) AND d.check_at <= \(now)
            ORDER BY d.check_at LIMIT 20 FOR UPDATE OF d SKIP LOCKED
            """
        ).rows.map { row in
            DueDelivery(
                requestID: try row.decode("request_id", as: UUID.self), attempt: Int(try row.decode("attempt", as: Int32.self)),
                state: try row.decode("state", as: String.self), reached: try row.decode("reached", as: String?.self),
                ledger: try row.decode("ledger", as: String?.self))
        }
    }

    /// The delivery a receipt for WhatsApp message `whatsappMessageID` is about, locked;
    /// nil for other messages, or a receipt that outran the gateway's record of the send.
    static func match(receiptFor whatsappMessageID: String, in tx: PostgresTransaction) async throws -> ReceiptMatch? {
        try await tx.query(
            """
            SELECT d.request_id, d.document_id, d.state, w.message_id = d.document_message::text AS current
            FROM document_sends w JOIN deliveries d ON d.request_id = w.request_id
            WHERE w.wa_message_id = \(whatsappMessageID) FOR UPDATE OF d
            """
        ).rows.first.map { row in
            ReceiptMatch(
                requestID: try row.decode("request_id", as: UUID.self), documentID: try row.decode("document_id", as: UUID.self),
                state: try row.decode("state", as: String.self), current: try row.decode("current", as: Bool.self))
        }
    }

    /// Up to 20 unconfirmed deliveries whose document (of any attempt) WhatsApp reported delivered or read, locked.
    static func missedConfirmations(in tx: PostgresTransaction) async throws -> [MissedConfirmation] {
        try await tx.query(
            """
            SELECT d.request_id, d.document_id, w.wa_message_id, w.status_at
            FROM deliveries d JOIN document_sends w ON w.request_id = d.request_id
            WHERE d.state = ANY(\(PostgresTextArray(DeliveryState.unconfirmed))) AND w.status IN ('delivered', 'read')
            LIMIT 20 FOR UPDATE OF d SKIP LOCKED
            """
        ).rows.map { row in
            MissedConfirmation(
                requestID: try row.decode("request_id", as: UUID.self), documentID: try row.decode("document_id", as: UUID.self),
                whatsappMessageID: try row.decode("wa_message_id", as: String.self), at: try row.decode("status_at", as: Date.self))
        }
    }

    /// Every send of the request's KK documents, oldest first.
    static func sends(of requestID: UUID, in tx: PostgresTransaction) async throws -> [DocumentSend] {
        try await tx.query("SELECT state, claimed_at, via_template, status FROM document_sends WHERE request_id = \(requestID) ORDER BY claimed_at")
            .rows.map { row in
                DocumentSend(
                    ledgerState: try row.decode("state", as: String.self), claimedAt: try row.decode("claimed_at", as: Date.self),
                    viaTemplate: try row.decode("via_template", as: Bool.self), status: try row.decode("status", as: String?.self))
            }
    }

    /// Signed KKs not yet confirmed delivered, and those waiting for the print officer to send them:
    /// ready ones first, then the ones with the officer, then oldest first.
    static func pending(in tx: PostgresTransaction) async throws -> [PendingDelivery] {
        try await tx.query(
            """
            SELECT * FROM (
                SELECT r.number, r.reason, d.state, d.attempt, d.last_error, d.updated_at, q.taken_by
                FROM deliveries d JOIN requests r ON r.id = d.request_id
                LEFT JOIN officer_queue q ON q.queue = \(OfficerQueue.delivery.rawValue) AND q.request_id = d.request_id
                WHERE d.state <> \(DeliveryState.delivered.rawValue)
                UNION ALL
                SELECT r.number, r.reason, 'ready' AS state, 0 AS attempt, NULL AS last_error, q.entered_at AS updated_at, q.taken_by
                FROM officer_queue q JOIN requests r ON r.id = q.request_id
                WHERE q.queue = \(OfficerQueue.delivery.rawValue) AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.request_id = q.request_id)
            ) pending
            ORDER BY (state = 'ready') DESC, (state = ANY(\(PostgresTextArray(DeliveryState.withOfficer)))) DESC, updated_at, number
            """
        ).rows.map { row in
            PendingDelivery(
                number: try row.decode("number", as: String.self), reason: try row.decode("reason", as: String.self),
                state: try row.decode("state", as: String.self), attempt: Int(try row.decode("attempt", as: Int32.self)),
                lastError: try row.decode("last_error", as: String?.self), takenBy: try row.decode("taken_by", as: String?.self))
        }
    }
}
