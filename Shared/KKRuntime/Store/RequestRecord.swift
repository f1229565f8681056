import Foundation
import KKDomain

/// A request as the read model holds it (`requests` table).
public struct RequestRecord: Sendable, Equatable {
    public let id: UUID
    public let number: String
    public let reason: RequestReason
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
}
