import Foundation

/// The small JSON envelope every message and every logged event travels in.
///
/// The payload is kept in the form it came in, and turned into JSON or into its type
/// only when asked: an envelope made here is encoded with its typed payload in one pass,
/// and one read off the broker decodes its payload straight from the message's bytes.
/// (Before, every payload went through a `JSONValue` tree on each side: three coding
/// passes where one does.)
public struct EventEnvelope: Sendable, Equatable {
    public let id: UUID
    public let type: String
    public let schemaVersion: Int
    public let requestId: UUID?
    public let occurredAt: Date
    public let actor: Actor
    private let body: Body

    private enum Body: Sendable {
        /// Made here from a typed payload.
        case typed(any EventPayload)
        /// Read from a message: the whole envelope's JSON, whose `payload` member is decoded when asked.
        case received(Data)
        /// Made from an untyped value (tools, tests).
        case value(JSONValue)
    }

    public init<P: EventPayload>(payload: P, requestId: UUID?, actor: Actor, id: UUID = UUID(), occurredAt: Date = Date()) {
        self.id = id
        self.type = P.eventType
        self.schemaVersion = P.schemaVersion
        self.requestId = requestId
        self.occurredAt = EventTime.normalized(occurredAt)
        self.actor = actor
        self.body = .typed(payload)
    }

    public init(id: UUID, type: String, schemaVersion: Int, requestId: UUID?, occurredAt: Date, actor: Actor, payload: JSONValue) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.requestId = requestId
        self.occurredAt = occurredAt
        self.actor = actor
        self.body = .value(payload)
    }

    private init(received header: Wire<Present>, message: Data) {
        self.id = header.id
        self.type = header.type
        self.schemaVersion = header.schemaVersion
        self.requestId = header.requestId
        self.occurredAt = header.occurredAt
        self.actor = header.actor
        self.body = .received(message)
    }

    /// The typed payload; the type and version must match exactly.
    public func decode<P: EventPayload>(_: P.Type) throws(EventDecodingError) -> P {
        guard type == P.eventType else { throw .typeMismatch(expected: P.eventType, found: type) }
        guard schemaVersion == P.schemaVersion else {
            throw .unsupportedVersion(type: type, version: schemaVersion, supported: [P.schemaVersion])
        }
        do {
            switch body {
            case .typed(let payload):
                if let payload = payload as? P { return payload }
                return try JSONDecoder.kkEvents.decode(P.self, from: try Self.encode(payload))
            case .received(let message):
                return try JSONDecoder.kkEvents.decode(PayloadMember<P>.self, from: message).payload
            case .value(let value):
                return try JSONDecoder.kkEvents.decode(P.self, from: try JSONEncoder.kkEvents.encode(value))
            }
        } catch {
            throw .malformed("payload of '\(type)': \(error)")
        }
    }

    /// The payload's own JSON (sorted keys), as the event log stores it.
    public func payloadJSON() throws(EventDecodingError) -> Data {
        do {
            switch body {
            case .typed(let payload): return try Self.encode(payload)
            case .received, .value: return try JSONEncoder.kkEvents.encode(try payloadValue())
            }
        } catch let error as EventDecodingError {
            throw error
        } catch {
            throw .malformed("payload of '\(type)': \(error)")
        }
    }

    /// The payload as an untyped JSON value.
    public func payloadValue() throws(EventDecodingError) -> JSONValue {
        do {
            switch body {
            case .typed(let payload): return try JSONDecoder.kkEvents.decode(JSONValue.self, from: try Self.encode(payload))
            case .received(let message): return try JSONDecoder.kkEvents.decode(PayloadMember<JSONValue>.self, from: message).payload
            case .value(let value): return value
            }
        } catch {
            throw .malformed("payload of '\(type)': \(error)")
        }
    }

    /// The envelope as it travels. One read off the broker is its own encoding.
    public func encoded() -> Data {
        // Encoding our own header and a payload type cannot fail.
        switch body {
        case .typed(let payload): try! encoded(with: payload)
        case .received(let message): message
        case .value(let value): try! encoded(with: value)
        }
    }

    public static func decode(from data: Data) throws(EventDecodingError) -> EventEnvelope {
        do {
            return EventEnvelope(received: try JSONDecoder.kkEvents.decode(Wire<Present>.self, from: data), message: data)
        } catch {
            throw .malformed(String(describing: error))
        }
    }

    /// Same header, same payload (compared as JSON values, whatever form each is kept in).
    public static func == (a: EventEnvelope, b: EventEnvelope) -> Bool {
        a.id == b.id && a.type == b.type && a.schemaVersion == b.schemaVersion && a.requestId == b.requestId
            && a.occurredAt == b.occurredAt && a.actor == b.actor && (try? a.payloadValue()) == (try? b.payloadValue())
    }

    private func encoded<Payload: Encodable>(with payload: Payload) throws -> Data {
        try JSONEncoder.kkEvents.encode(
            Wire(
                id: id, type: type, schemaVersion: schemaVersion, requestId: requestId, occurredAt: occurredAt, actor: actor,
                payload: payload))
    }

    private static func encode<Payload: Encodable>(_ payload: Payload) throws -> Data {
        try JSONEncoder.kkEvents.encode(payload)
    }
}

/// The envelope's JSON form: encoded with its payload's own type, decoded with the
/// payload left unread (`Present`) to be decoded later by type.
private struct Wire<Payload> {
    let id: UUID
    let type: String
    let schemaVersion: Int
    let requestId: UUID?
    let occurredAt: Date
    let actor: Actor
    let payload: Payload
}

extension Wire: Encodable where Payload: Encodable {}
extension Wire: Decodable where Payload: Decodable {}

/// A payload that must be there, as any JSON value, and is not read.
private struct Present: Decodable {
    init(from decoder: any Decoder) throws {}
}

/// Just the `payload` member of a received envelope, decoded as `P`.
private struct PayloadMember<P: Decodable>: Decodable {
    let payload: P
}
