/// The Kafka topics of the SOP pipeline (DESIGN.md section 2). Every message
/// is keyed by its request id (WhatsApp traffic by the sender's phone), so all
/// messages of one request stay in one partition, in order.
public enum Topic: String, CaseIterable, Sendable {
    case waInbound = "wa.inbound"
    case waOutbound = "wa.outbound"
    case waStatus = "wa.status"
    case requestsAccepted = "kk.requests.accepted"
    case draftsSubmitted = "kk.drafts.submitted"
    case draftsVerified = "kk.drafts.verified"
    case documentsSigned = "kk.documents.signed"
    case documentsDelivered = "kk.documents.delivered"
    case documentsArchived = "kk.documents.archived"
    case requestsReturned = "kk.requests.returned"
    case deadLetter = "kk.deadletter"

    /// Partitions per topic: the unit of parallelism of each consumer group.
    public var partitions: Int {
        switch self {
        case .deadLetter: 1
        case .waInbound, .waOutbound, .waStatus: 12
        default: 6
        }
    }
}

/// Headers every message of ours carries.
public enum MessageHeader {
    /// The id consumers record in their inbox to drop duplicates (the envelope id).
    public static let messageID = "kk-message-id"
    /// The envelope's event type, so a consumer can route without decoding.
    public static let eventType = "kk-event-type"
    /// The outbox row the relay published it from.
    public static let outboxID = "kk-outbox-id"
    /// On dead letters: which consumer gave up and why.
    public static let deadLetterConsumer = "kk-dead-letter-consumer"
    public static let deadLetterReason = "kk-dead-letter-reason"
    /// On a message published again by `kk-admin replay`: "1".
    public static let replayed = "kk-replayed"
}
