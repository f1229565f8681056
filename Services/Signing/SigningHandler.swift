import Foundation
import KKDomain
import KKRuntime
import Logging
import Postgres

/// kk-sign's daemon: a verified draft (kk.drafts.verified, SOP 6) joins the
/// Kepala Dinas' signing queue (SOP 7).
struct SigningHandler: MessageHandler {
    static let name = "kk-sign"
    let logger: Logger

    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        guard message.envelope.type == DraftVerified.eventType else {
            throw MessageRejected("kk-sign does not handle events of type \(message.envelope.type)")
        }
        let verified = try message.envelope.decode(DraftVerified.self)
        let request: RequestRecord
        do {
            request = try await RequestStore.load(number: verified.requestNumber, in: tx)
        } catch RequestStoreError.notFound {
            throw MessageRejected("verified request \(verified.requestNumber) is not on record")
        }
        guard let draft = try await FamilyDraft.load(requestID: request.id, in: tx), draft.id == verified.draftId else {
            throw MessageRejected("the draft \(verified.draftId) of \(verified.requestNumber) is not on record")
        }
        guard request.state == .verified, draft.status == .verified else {
            if request.isBehind(message.envelope) {
                throw MessageRejected(
                    "verified draft of \(request.number) is '\(request.state.rawValue)' on record since before the event: the event is ahead of the record "
                        + "(only `kk-verify approve` may verify a draft)")
            }
            logger.notice("verified draft has moved on; not queued", metadata: ["request": "\(request.number)", "state": "\(request.state.rawValue)"])
            return []
        }
        try await OfficerQueue.signing.add(request.id, at: message.envelope.occurredAt, in: tx)
        return []
    }
}
