import Foundation

/// The small JSON envelope every message and every logged event travels in.
public struct EventEnvelope: Codable, Sendable, Equatable {
    public let id: UUID
    public let type: String
    public let schemaVersion: Int
    public let requestId: UUID?
    public let occurredAt: Date
    public let actor: Actor
    public let payload: JSONValue

    public init<P: EventPayload>(payload: P, requestId: UUID?, actor: Actor, id: UUID = UUID(), occurredAt: Date = Date()) {
        self.id = id
        self.type = P.eventType
        self.schemaVersion = P.schemaVersion
        self.requestId = requestId
        self.occurredAt = EventTime.normalized(occurredAt)
        self.actor = actor
        // Encoding a Codable struct to JSON and back to JSONValue cannot fail for our payload types.
        let data = try! JSONEncoder.kkEvents.encode(payload)
        self.payload = try! JSONDecoder.kkEvents.decode(JSONValue.self, from: data)
    }

    public init(id: UUID, type: String, schemaVersion: Int, requestId: UUID?, occurredAt: Date, actor: Actor, payload: JSONValue) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.requestId = requestId
        self.occurredAt = occurredAt
        self.actor = actor
        self.payload = payload
    }

    /// The typed payload; the type and version must match exactly.
    public func decode<P: EventPayload>(_: P.Type) throws(EventDecodingError) -> P {
        guard type == P.eventType else { throw .typeMismatch(expected: P.eventType, found: type) }
        guard schemaVersion == P.schemaVersion else {
            throw .unsupportedVersion(type: type, version: schemaVersion, supported: [P.schemaVersion])
        }
        do {
            let data = try JSONEncoder.kkEvents.encode(payload)
            return try JSONDecoder.kkEvents.decode(P.self, from: data)
        } catch {
            throw .malformed("payload of '\(type)': \(error)")
        }
    }

    public func encoded() -> Data {
        try! JSONEncoder.kkEvents.encode(self)
    }

    public static func decode(from data: Data) throws(EventDecodingError) -> EventEnvelope {
        do {
            return try JSONDecoder.kkEvents.decode(EventEnvelope.self, from: data)
        } catch {
            throw .malformed(String(describing: error))
        }
    }
}
