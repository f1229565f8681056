import Foundation
import KKDomain
import KKRuntime
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
            return try await DeliveryAttempt.start(request, again: false, settings: settings, in: tx)
        case WhatsAppStatus.eventType:
            return try await receipt(try message.envelope.decode(WhatsAppStatus.self), in: tx)
        default:
            throw MessageRejected("kk-deliver does not handle events of type \(message.envelope.type)")
        }
    }

    /// A receipt for a KK we sent: delivered or read confirms SOP 9; failed schedules a retry.
    private func receipt(_ status: WhatsAppStatus, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        let rows = try await tx.query(
            """
            SELECT d.request_id, d.document_id, d.state FROM wa_outbound w JOIN deliveries d ON d.document_message::text = w.message_id
            WHERE w.wa_message_id = \(status.whatsappMessageId) FOR UPDATE OF d
            """
        ).rows
        // Not a KK document (texts, other services' messages), or a receipt that outran the
        // gateway's commit of the send: `DeliveryConfirmation.reconcile` picks that one up.
        guard let row = rows.first else { return [] }
        let requestID = try row.decode("request_id", as: UUID.self)
        guard try row.decode("state", as: String.self) != "delivered" else { return [] }
        switch status.status {
        case .delivered, .read:
            return try await DeliveryConfirmation.confirm(
                requestID: requestID, documentID: try row.decode("document_id", as: UUID.self), whatsappMessageID: status.whatsappMessageId,
                at: status.at, in: tx)
        case .failed:
            try await tx.execute(
                """
                UPDATE deliveries SET state = 'retrying', check_at = now(), last_error = \(status.error ?? "WhatsApp melaporkan gagal"),
                    updated_at = now() WHERE request_id = \(requestID)
                """)
            return []
        case .sent:
            return []
        }
    }
}
