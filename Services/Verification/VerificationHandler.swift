import Foundation
import KKDomain
import KKRuntime
import Logging
import Postgres

/// kk-verify's daemon: a print request with its draft KK (kk.drafts.submitted,
/// SOP 4) joins the Kasi/Kabid's verification queue (SOP 5-6).
struct VerificationHandler: MessageHandler {
    static let name = "kk-verify"
    let logger: Logger

    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        guard message.envelope.type == DraftSubmitted.eventType else {
            throw MessageRejected("kk-verify does not handle events of type \(message.envelope.type)")
        }
        let submitted = try message.envelope.decode(DraftSubmitted.self)
        let request: RequestRecord
        do {
            request = try await RequestStore.load(number: submitted.requestNumber, in: tx)
        } catch RequestStoreError.notFound {
            throw MessageRejected("submitted request \(submitted.requestNumber) is not on record")
        }
        guard let draft = try await FamilyDraft.load(requestID: request.id, in: tx), draft.id == submitted.draftId else {
            throw MessageRejected("the draft \(submitted.draftId) of \(submitted.requestNumber) is not on record")
        }
        guard request.state == .printRequested, draft.status == .submitted else {
            if request.isBehind(message.envelope) {
                throw MessageRejected(
                    "print request \(request.number) is '\(request.state.rawValue)' on record since before the event: the event is ahead of the record "
                        + "(only `kk-entry submit` may submit a print request)")
            }
            logger.notice("print request has moved on; not queued", metadata: ["request": "\(request.number)", "state": "\(request.state.rawValue)"])
            return []
        }
        try await OfficerQueue.verification.add(request.id, at: message.envelope.occurredAt, in: tx)
        return []
    }
}
