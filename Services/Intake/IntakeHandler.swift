import Foundation
import KKDomain
import KKMessaging
import KKStore
import Logging
import Postgres

/// kk-intake's step: the applicant's side of SOP steps 1-2. WhatsApp messages
/// (wa.inbound) drive the guided conversation; returns (kk.requests.returned)
/// reach the applicant with the officer's reason and the documents to resend;
/// the later steps' events (print request, verification, signature, archive)
/// reach the applicant as progress notices (`ProgressNotices`).
/// Every reply goes out through wa.outbound, in the same transaction.
struct IntakeHandler: MessageHandler {
    static let name = "kk-intake"
    let logger: Logger
    var policy = IntakePolicy()

    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        switch message.envelope.type {
        case WhatsAppInbound.eventType:
            let inbound = try message.envelope.decode(WhatsAppInbound.self)
            let replies = try await ApplicantConversation(applicantRef: inbound.applicantRef, tx: tx, policy: policy).receive(inbound)
            return replies.map { Self.outgoing($0.text, to: inbound.applicantRef, about: $0.requestID) }
        case RequestReturned.eventType:
            let event = try message.envelope.decode(RequestReturned.self)
            return try await notifyReturn(event, occurredAt: message.envelope.occurredAt, in: tx)
        default:
            guard let step = try ProgressNotices.step(of: message.envelope) else {
                throw MessageRejected("kk-intake does not handle events of type \(message.envelope.type)")
            }
            guard let notice = try await ProgressNotices.notice(for: step, in: tx) else {
                logger.debug("a newer step was told already; this one is left out", metadata: ["request": "\(step.requestNumber)"])
                return []
            }
            return [notice]
        }
    }

    /// A "Belum Lengkap" or "Belum Valid": the applicant hears why and what to
    /// send; the documents sent next complete the same request.
    private func notifyReturn(_ event: RequestReturned, occurredAt: Date, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        let request: RequestRecord
        do {
            request = try await RequestStore.load(number: event.requestNumber, in: tx)
        } catch RequestStoreError.notFound {
            throw MessageRejected("returned request \(event.requestNumber) is not on record")
        }
        guard request.state == .returnedIncomplete || request.state == .returnedInvalid else {
            logger.notice("return of a request no longer returned; nothing to tell", metadata: ["request": "\(event.requestNumber)"])
            return []
        }
        // A step before the return, processed late, is then not told after it.
        _ = try await ProgressNotices.markTold(request, at: occurredAt, in: tx)
        let documents = event.missingDocuments.isEmpty ? [.statementForm] : event.missingDocuments
        try await ConversationStore.setPending(request.id, applicantRef: request.applicantRef, documents, in: tx)
        var conversation = try await ConversationStore.load(request.applicantRef, in: tx)
        var busyElsewhere = false
        if conversation.stage == .collecting, let other = conversation.requestID, other != request.id {
            busyElsewhere = try await RequestStore.load(other, in: tx).state == .collectingDocuments
        }
        if !busyElsewhere {
            conversation.stage = .collecting
            conversation.requestID = request.id
            try await ConversationStore.save(conversation, in: tx)
        }
        let text = IntakeTexts.returned(event, reason: request.reason, documents: documents, switchHint: busyElsewhere)
        return [Self.outgoing(text, to: request.applicantRef, about: request.id)]
    }

    static func outgoing(_ text: String, to applicantRef: String, about requestID: UUID?) -> OutgoingMessage {
        let envelope = EventEnvelope(
            payload: WhatsAppOutbound.text(text, to: applicantRef, about: requestID), requestId: requestID,
            actor: Actor(role: .system, id: name))
        return OutgoingMessage(topic: .waOutbound, envelope: envelope, key: applicantRef)
    }
}
