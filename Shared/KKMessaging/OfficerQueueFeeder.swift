import Foundation
import KKDomain
import KKStore
import Logging
import Postgres

/// An SOP event that hands a request to the next officer's queue.
public protocol QueueHandoff: EventPayload {
    var requestNumber: String { get }
    /// The draft the event hands over with the request (nil before there is one).
    var handedDraftID: UUID? { get }
}

extension RequestAccepted: QueueHandoff {
    public var handedDraftID: UUID? { nil }
}

extension DraftSubmitted: QueueHandoff {
    public var handedDraftID: UUID? { draftId }
}

extension DraftVerified: QueueHandoff {
    public var handedDraftID: UUID? { draftId }
}

/// The daemon of kk-entry, kk-verify and kk-sign: an event of the step before puts
/// its request into this step's officer queue when the record agrees (the request
/// in `state`, the event's draft on record with `draftStatus`). An event about a
/// request or draft not on record, or ahead of the record, can never be processed
/// (dead-lettered with the reason); one the request has since moved past is
/// dropped with a notice.
public struct OfficerQueueFeeder<Event: QueueHandoff>: MessageHandler {
    /// What the step expects of the record.
    public struct Step: Sendable {
        /// The service, for messages: `kk-entry`.
        public let service: String
        public let queue: OfficerQueue
        public let state: RequestState
        /// The draft's status the step needs (nil: the step has no draft yet).
        public let draftStatus: FamilyDraft.Status?
        /// The request as the step calls it, for messages: `print request`.
        public let subject: String
        /// The only way the record reaches `state`, for the message of an event ahead of it.
        public let onlyWay: String

        public init(
            service: String, queue: OfficerQueue, state: RequestState, draftStatus: FamilyDraft.Status?, subject: String, onlyWay: String
        ) {
            self.service = service
            self.queue = queue
            self.state = state
            self.draftStatus = draftStatus
            self.subject = subject
            self.onlyWay = onlyWay
        }
    }

    public let step: Step
    public let logger: Logger

    public init(_ step: Step, logger: Logger) {
        self.step = step
        self.logger = logger
    }

    public func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        guard message.envelope.type == Event.eventType else {
            throw MessageRejected("\(step.service) does not handle events of type \(message.envelope.type)")
        }
        let event = try message.envelope.decode(Event.self)
        let request: RequestRecord
        do {
            request = try await RequestStore.load(number: event.requestNumber, in: tx)
        } catch RequestStoreError.notFound {
            throw MessageRejected("\(step.subject) \(event.requestNumber) is not on record")
        }
        var draftAgrees = true
        if let draftID = event.handedDraftID {
            guard let draft = try await FamilyDraft.load(requestID: request.id, in: tx), draft.id == draftID else {
                throw MessageRejected("the draft \(draftID) of \(event.requestNumber) is not on record")
            }
            draftAgrees = draft.status == step.draftStatus
        }
        guard request.state == step.state, draftAgrees else {
            if request.isBehind(message.envelope) {
                throw MessageRejected(
                    "\(step.subject) \(request.number) is '\(request.state.rawValue)' on record since before the event: the event is ahead of the record "
                        + "(\(step.onlyWay))")
            }
            logger.notice("\(step.subject) has moved on; not queued", metadata: ["request": "\(request.number)", "state": "\(request.state.rawValue)"])
            return []
        }
        try await step.queue.add(request.id, at: message.envelope.occurredAt, in: tx)
        return []
    }
}
