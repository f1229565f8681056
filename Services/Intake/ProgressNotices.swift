import Foundation
import KKDomain
import KKMessaging
import KKStore
import Postgres

/// The applicant hears of each step the office takes behind its doors: the
/// print request (SOP 4), the verification (SOP 5-6), the signature (SOP 7) and
/// the close (SOP 10), whose message asks for a 1-5 score of the service. The
/// PDF itself (SOP 8-9) is kk-deliver's message.
///
/// The step events come on different topics, so one may be processed after a
/// newer one; intake remembers when the step it last told of happened and
/// leaves out an older one rather than tell the steps out of order.
enum ProgressNotices {
    /// The step an event reports, and when it happened.
    struct Step: Sendable {
        let requestNumber: String
        let occurredAt: Date
        let kind: Kind
    }

    enum Kind: Sendable {
        case printRequested, verified, signed, closed

        /// The transition the request's event log must hold for the step to be told.
        var action: RequestAction {
            switch self {
            case .printRequested: .submitPrintRequest
            case .verified: .verify
            case .signed: .sign
            case .closed: .archive
            }
        }
    }

    /// The step `envelope` reports, or nil when it is not one the applicant is told of.
    static func step(of envelope: EventEnvelope) throws -> Step? {
        switch envelope.type {
        case DraftSubmitted.eventType:
            Step(requestNumber: try envelope.decode(DraftSubmitted.self).requestNumber, occurredAt: envelope.occurredAt, kind: .printRequested)
        case DraftVerified.eventType:
            Step(requestNumber: try envelope.decode(DraftVerified.self).requestNumber, occurredAt: envelope.occurredAt, kind: .verified)
        case DocumentSigned.eventType:
            Step(requestNumber: try envelope.decode(DocumentSigned.self).requestNumber, occurredAt: envelope.occurredAt, kind: .signed)
        case DocumentArchived.eventType:
            Step(requestNumber: try envelope.decode(DocumentArchived.self).requestNumber, occurredAt: envelope.occurredAt, kind: .closed)
        default:
            nil
        }
    }

    /// The message for `step`, or nil when a newer step was told already or the request is cancelled.
    /// A close puts an idle conversation in the rating stage, so the next "1" to "5" scores the service.
    static func notice(for step: Step, in tx: PostgresTransaction) async throws -> OutgoingMessage? {
        let request: RequestRecord
        do {
            request = try await RequestStore.load(number: step.requestNumber, in: tx)
        } catch RequestStoreError.notFound {
            throw MessageRejected("request \(step.requestNumber) of a step event is not on record")
        }
        guard request.state != .cancelled else { return nil }
        // Told only what the record says happened: an event ahead of it (forged, or a bug) is refused.
        let recorded = try await tx.query(
            "SELECT 1 AS found FROM request_events WHERE request_id = \(request.id) AND action = \(step.kind.action.rawValue) LIMIT 1"
        ).rows
        guard !recorded.isEmpty else {
            throw MessageRejected(
                "the step '\(step.kind.action.rawValue)' of \(request.number) is not on record (the request is '\(request.state.rawValue)'): the event is ahead of the record; the applicant is not told"
            )
        }
        guard try await markTold(request, at: step.occurredAt, in: tx) else { return nil }

        let text: String
        switch step.kind {
        case .printRequested:
            text = IntakeTexts.progressed(request, step: .s4)
        case .verified:
            text = IntakeTexts.progressed(request, step: .s6)
        case .signed:
            text = IntakeTexts.signed(number: request.number)
        case .closed:
            var conversation = try await ConversationStore.load(request.applicantRef, in: tx)
            let askScore = conversation.stage == .idle || conversation.stage == .rating
            if askScore {
                conversation.stage = .rating
                conversation.requestID = request.id
                try await ConversationStore.save(conversation, in: tx)
            }
            text = IntakeTexts.closed(number: request.number, askScore: askScore)
        }
        return IntakeHandler.outgoing(text, to: request.applicantRef, about: request.id)
    }

    /// Records that the applicant of `request` is told of a step that happened at `time`; false (and
    /// nothing changed) when a newer one was told already. Locks the request's intake row, so the
    /// steps of one request are told one after the other. Returns (`kk.requests.returned`) count too.
    static func markTold(_ request: RequestRecord, at time: Date, in tx: PostgresTransaction) async throws -> Bool {
        let rows = try await tx.query(
            """
            INSERT INTO intake_requests (request_id, applicant_ref, pending) VALUES (\(request.id), \(request.applicantRef), '')
            ON CONFLICT (request_id) DO UPDATE SET updated_at = now()
            RETURNING last_notice_at
            """
        ).rows
        if let told = try rows.first?.decode("last_notice_at", as: Date?.self), told >= time { return false }
        try await tx.execute("UPDATE intake_requests SET last_notice_at = \(time) WHERE request_id = \(request.id)")
        return true
    }
}
