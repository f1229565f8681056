import Foundation
import KKDomain
import KKMessaging
import KKStore
import Postgres

/// SOP 9 confirmed: WhatsApp says the applicant's phone has the KK. The request
/// moves to delivered, leaves the print officer's queue, and
/// kk.documents.delivered is published, in the caller's transaction.
enum DeliveryConfirmation {
    static func confirm(
        requestID: UUID, documentID: UUID, whatsappMessageID: String, at time: Date, in tx: PostgresTransaction
    ) async throws -> [OutgoingMessage] {
        // The step is the print officer's when they sent it (SOP 8 as written), the system's otherwise.
        let rows = try await tx.query("SELECT sent_by FROM deliveries WHERE request_id = \(requestID)").rows
        let sentBy = try rows.first.flatMap { try $0.decode("sent_by", as: String?.self) }
        let actor = sentBy.map { Actor(role: .printOfficer, id: $0) } ?? Actor(role: .system, id: DeliveryHandler.name)
        let (request, _) = try await RequestStore.transition(requestID, action: .deliver, by: actor, note: "diterima di WhatsApp pemohon", in: tx)
        try await tx.execute(
            "UPDATE deliveries SET state = \(DeliveryState.delivered.rawValue), delivered_at = \(time), updated_at = now() WHERE request_id = \(requestID)")
        try await OfficerQueue.delivery.remove(requestID, in: tx)
        let event = DocumentDelivered(requestNumber: request.number, documentId: documentID, whatsappMessageId: whatsappMessageID)
        return [OutgoingMessage(topic: .documentsDelivered, envelope: EventEnvelope(payload: event, requestId: requestID, actor: actor))]
    }

    /// Deliveries whose document (of any attempt) WhatsApp already reported delivered or read, though
    /// kk-deliver missed the receipt: it can reach kk-deliver before the gateway has
    /// committed the send it belongs to. Confirms up to 20; returns how many.
    static func reconcile(in tx: PostgresTransaction) async throws -> Int {
        let rows = try await tx.query(
            """
            SELECT d.request_id, d.document_id, w.wa_message_id, w.status_at AS updated_at
            FROM deliveries d JOIN document_sends w ON w.request_id = d.request_id
            WHERE d.state = ANY(\(PostgresTextArray(DeliveryState.unconfirmed))) AND w.status IN ('delivered', 'read')
            LIMIT 20 FOR UPDATE OF d SKIP LOCKED
            """
        ).rows
        for row in rows {
            let messages = try await confirm(
                requestID: try row.decode("request_id", as: UUID.self), documentID: try row.decode("document_id", as: UUID.self),
                whatsappMessageID: try row.decode("wa_message_id", as: String.self), at: try row.decode("updated_at", as: Date.self), in: tx)
            try await Outbox.enqueue(messages, source: DeliveryHandler.name, in: tx)
        }
        return rows.count
    }
}
