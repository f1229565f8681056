import Foundation
import KKDomain
import KKMessaging
import KKStore
import Logging
import Postgres

/// kk-deliver's daemon (SOP 8-9): a signed KK (kk.documents.signed) goes to
/// the applicant as a PDF with the notice; WhatsApp's receipts (wa.status)
/// confirm it, which moves the request to delivered and publishes
/// kk.documents.delivered. A failed send is retried by `DeliveryScheduler`.
struct DeliveryHandler: MessageHandler {
    static let name = "kk-deliver"
    let logger: Logger
    let settings: DeliveryAttempt.Settings

    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        switch message.envelope.type {
        case DocumentSigned.eventType:
            let signed = try message.envelope.decode(DocumentSigned.self)
            let request: RequestRecord
            do {
                request = try await RequestStore.load(number: signed.requestNumber, in: tx)
            } catch RequestStoreError.notFound {
                throw MessageRejected("signed request \(signed.requestNumber) is not on record")
            }
            guard request.state == .signed else {
                logger.notice("signed request has moved on; not sent", metadata: ["request": "\(request.number)"])
                return []
            }
            if settings.mode == .printOfficer {
                // SOP 8 as written: the print officer downloads and sends it (`kk-deliver send`).
                try await OfficerQueue.delivery.add(request.id, in: tx)
                return []
            }
            do {
                return try await DeliveryAttempt.start(request, again: false, settings: settings, in: tx)
            } catch is RecipientNotVerified {
                logger.warning("signed KK held for the print officer: the applicant's identity does not match", metadata: ["request": "\(request.number)"])
                try await OfficerQueue.delivery.add(request.id, in: tx)
                return []
            }
        case WhatsAppStatus.eventType:
            return try await receipt(try message.envelope.decode(WhatsAppStatus.self), in: tx)
        case WhatsAppSendInDoubt.eventType:
            try await inDoubt(try message.envelope.decode(WhatsAppSendInDoubt.self), in: tx)
            return []
        default:
            throw MessageRejected("kk-deliver does not handle events of type \(message.envelope.type)")
        }
    }

    /// A receipt for a KK we sent: delivered or read (of any attempt: the applicant has
    /// the KK) confirms SOP 9; failed (of the current attempt) schedules a retry.
    private func receipt(_ status: WhatsAppStatus, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        let rows = try await tx.query(
            """
            SELECT d.request_id, d.document_id, d.state, w.message_id = d.document_message::text AS current
            FROM document_sends w JOIN deliveries d ON d.request_id = w.request_id
            WHERE w.wa_message_id = \(status.whatsappMessageId) FOR UPDATE OF d
            """
        ).rows
        // Not a KK document (other services' messages), or a receipt that outran the
        // gateway's commit of the send: `DeliveryConfirmation.reconcile` picks that one up.
        guard let row = rows.first else { return [] }
        let requestID = try row.decode("request_id", as: UUID.self)
        guard try row.decode("state", as: String.self) != DeliveryState.delivered.rawValue else { return [] }
        switch status.status {
        case .delivered, .read:
            return try await DeliveryConfirmation.confirm(
                requestID: requestID, documentID: try row.decode("document_id", as: UUID.self), whatsappMessageID: status.whatsappMessageId,
                at: status.at, in: tx)
        case .failed where try row.decode("current", as: Bool.self):
            try await tx.execute(
                """
                UPDATE deliveries SET state = \(DeliveryState.retrying.rawValue), check_at = now(), last_error = \(status.error ?? "WhatsApp melaporkan gagal"),
                    updated_at = now() WHERE request_id = \(requestID)
                """)
            return []
        case .failed, .sent:
            return []
        }
    }

    /// The gateway stopped while sending the KK and cannot tell whether WhatsApp took
    /// it: a second copy would carry every family member's NIK to the phone again,
    /// so the print officer checks with the applicant before `kk-deliver resend`.
    /// A "delivered" that comes later still confirms it; a "failed" schedules a retry.
    private func inDoubt(_ event: WhatsAppSendInDoubt, in tx: PostgresTransaction) async throws {
        let rows = try await tx.query(
            """
            UPDATE deliveries SET state = \(DeliveryState.inDoubt.rawValue), updated_at = now(),
                last_error = 'mungkin sudah terkirim: pengiriman terputus, tanyakan pemohon sebelum kirim ulang'
            WHERE document_message = \(event.messageId) AND state = ANY(\(PostgresTextArray(DeliveryState.awaitingReceipt))) RETURNING request_id
            """
        ).rows
        for row in rows {
            let requestID = try row.decode("request_id", as: UUID.self)
            try await OfficerQueue.delivery.add(requestID, in: tx)
            logger.warning("KK send in doubt; handed to the print officer", metadata: ["request-id": "\(requestID)"])
        }
    }
}
