import Foundation
import KKDomain

/// A request as the read model holds it (`requests` table).
public struct RequestRecord: Sendable, Equatable {
    public let id: UUID
    public let number: String
    public let reason: RequestReason
    /// For a data change, the event behind it (nil for lost and damaged KKs,
    /// and for data changes from before events were asked for).
    public var changeEvent: ChangeEvent? = nil
    public var state: RequestState
    public var version: Int
    /// A pseudonymous id of the applicant (a hash of the phone) for logs and events.
    public let applicantRef: String
    /// Personal data: stays in PostgreSQL, never in Kafka payloads.
    public let applicantPhone: String
    public var kkNumber: String?
    /// The officer who entered the data or submitted the print request (four eyes).
    public var preparedBy: String?
    public var lastNote: String?
    public let createdAt: Date
    public var updatedAt: Date
    public var stateEnteredAt: Date

    public var context: TransitionContext { TransitionContext(reason: reason, preparedBy: preparedBy) }

    /// The documents this request needs (its reason and, for a data change, its event).
    public var requiredDocuments: [DocumentKind] { Requirements.required(for: reason, event: changeEvent) }

    /// "Perubahan Data (Kelahiran)", or the reason alone: what officers read.
    public var purpose: String {
        guard let changeEvent else { return reason.indonesianName }
        return "\(reason.indonesianName) (\(changeEvent.indonesianName))"
    }
}

extension RequestRecord {
    /// Whether `envelope` tells of a step this record does not have yet: the
    /// request's current state began before the event happened. A handler that
    /// finds the request in another state than the event leads to uses it to
    /// tell an event ahead of the record (a dead letter: something published it
    /// without the transition) from one the request has moved past (stale, dropped).
    public func isBehind(_ envelope: EventEnvelope) -> Bool { stateEnteredAt < envelope.occurredAt }
}
