import Foundation
import KKDomain

/// A message a step wants published. It is written to the outbox in the
/// step's transaction and published by the relay after commit.
public struct OutgoingMessage: Sendable, Equatable {
    public var topic: String
    public var key: String
    public var payload: [UInt8]
    public var headers: [String: String]

    public init(topic: String, key: String, payload: [UInt8], headers: [String: String] = [:]) {
        self.topic = topic
        self.key = key
        self.payload = payload
        self.headers = headers
    }

    /// An event envelope on `topic`, keyed by its request id (or `key` when given).
    public init(topic: Topic, envelope: EventEnvelope, key: String? = nil) {
        self.init(
            topic: topic.rawValue,
            key: key ?? envelope.requestId?.uuidString.lowercased() ?? envelope.id.uuidString.lowercased(),
            payload: Array(envelope.encoded()),
            headers: [
                MessageHeader.messageID: envelope.id.uuidString.lowercased(),
                MessageHeader.eventType: envelope.type,
            ])
    }
}
