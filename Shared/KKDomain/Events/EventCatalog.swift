/// The event types and versions this build understands.
public struct EventCatalog: Sendable {
    public let known: [String: Set<Int>]

    public init(_ payloads: [any EventPayload.Type]) {
        var known: [String: Set<Int>] = [:]
        for p in payloads { known[p.eventType, default: []].insert(p.schemaVersion) }
        self.known = known
    }

    /// The SOP's events.
    public static let sop = EventCatalog([
        RequestTransitioned.self, RequestAccepted.self, DraftSubmitted.self, DraftVerified.self, RequestReturned.self,
        DocumentSigned.self, DocumentDelivered.self, DocumentArchived.self, WhatsAppInbound.self, WhatsAppStatus.self, WhatsAppSendInDoubt.self,
        WhatsAppOutbound.self,
    ])

    public func validate(_ envelope: EventEnvelope) throws(EventDecodingError) {
        guard let versions = known[envelope.type] else { throw .unknownType(envelope.type) }
        guard versions.contains(envelope.schemaVersion) else {
            throw .unsupportedVersion(type: envelope.type, version: envelope.schemaVersion, supported: versions.sorted())
        }
    }
}
