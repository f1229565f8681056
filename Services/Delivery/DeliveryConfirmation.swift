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
        let sentBy = try await Deliveries.find(requestID, in: tx)?.sentBy
        let actor = sentBy.map { Actor(role: .printOfficer, id: $0) } ?? Actor(role: .system, id: DeliveryHandler.name)
        let (request, _) = try await RequestStore.transition(requestID, action: .deliver, by: actor, note: "diterima di WhatsApp pemohon", in: tx)
        try await Deliveries.markDelivered(requestID, at: time, in: tx)
        try await OfficerQueue.delivery.remove(requestID, in: tx)
        let event = DocumentDelivered(requestNumber: request.number, documentId: documentID, whatsappMessageId: whatsappMessageID)
        return [OutgoingMessage(topic: .documentsDelivered, envelope: EventEnvelope(payload: event, requestId: requestID, actor: actor))]
    }

    /// Deliveries whose document (of any attempt) WhatsApp already reported delivered or read, though
    /// kk-deliver missed the receipt: it can reach kk-deliver before the gateway has
    /// committed the send it belongs to. Confirms up to 20; returns how many.
    static func reconcile(in tx: PostgresTransaction) async throws -> Int {
        let missed = try await Deliveries.missedConfirmations(in: tx)
        for delivery in missed {
            let messages = try await confirm(
                requestID: delivery.requestID, documentID: delivery.documentID, whatsappMessageID: delivery.whatsappMessageID, at: delivery.at, in: tx)
            try await Outbox.enqueue(messages, source: DeliveryHandler.name, in: tx)
        }
        return missed.count
    }
}
