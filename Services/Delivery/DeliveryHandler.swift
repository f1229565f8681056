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
        // Not a KK document (other services' messages), or a receipt that outran the
        // gateway's commit of the send: `DeliveryConfirmation.reconcile` picks that one up.
        guard let delivery = try await Deliveries.match(receiptFor: status.whatsappMessageId, in: tx) else { return [] }
        guard delivery.state != DeliveryState.delivered.rawValue else { return [] }
        switch status.status {
        case .delivered, .read:
            return try await DeliveryConfirmation.confirm(
                requestID: delivery.requestID, documentID: delivery.documentID, whatsappMessageID: status.whatsappMessageId, at: status.at, in: tx)
        case .failed where delivery.current:
            try await Deliveries.retrySoon(delivery.requestID, reason: status.error ?? "WhatsApp melaporkan gagal", in: tx)
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
        for requestID in try await Deliveries.markInDoubt(documentMessage: event.messageId, in: tx) {
            try await OfficerQueue.delivery.add(requestID, in: tx)
            logger.warning("KK send in doubt; handed to the print officer", metadata: ["request-id": "\(requestID)"])
        }
    }
}
