import Foundation
import KKDomain
import KKRuntime
import Logging
import Postgres

/// kk-entry's daemon: an accepted request (kk.requests.accepted, SOP 2) joins
/// the entry queue, where a service officer takes it (SOP 3-4).
struct EntryHandler: MessageHandler {
    static let name = "kk-entry"
    let logger: Logger

    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        guard message.envelope.type == RequestAccepted.eventType else {
            throw MessageRejected("kk-entry does not handle events of type \(message.envelope.type)")
        }
        let accepted = try message.envelope.decode(RequestAccepted.self)
        let request: RequestRecord
        do {
            request = try await RequestStore.load(number: accepted.requestNumber, in: tx)
        } catch RequestStoreError.notFound {
            throw MessageRejected("accepted request \(accepted.requestNumber) is not on record")
        }
        guard request.state == .opened else {
            if request.isBehind(message.envelope) {
                throw MessageRejected(
                    "accepted request \(request.number) is '\(request.state.rawValue)' on record since before the event: the event is ahead of the record "
                        + "(only `kk-intake open` may accept a request)")
            }
            logger.notice("accepted request has moved on; not queued", metadata: ["request": "\(request.number)", "state": "\(request.state.rawValue)"])
            return []
        }
        try await OfficerQueue.entry.add(request.id, at: message.envelope.occurredAt, in: tx)
        return []
    }
}
