import Foundation
import KKDomain

/// The first event of every request: what the read model starts from.
public struct RequestCreated: EventPayload, Equatable {
    public static let eventType = "kk.request.created"
    public static let schemaVersion = 1

    public let number: String
    public let reason: RequestReason
    public let applicantRef: String
    public let applicantPhone: String
    public let kkNumber: String?
    /// For a data change, what happened to the family (absent in requests
    /// from before events were asked for, and for lost or damaged KKs).
    public var event: ChangeEvent? = nil
}
