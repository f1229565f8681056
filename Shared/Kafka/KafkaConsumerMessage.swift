import Foundation

/// A message read from a topic, with where it came from.
public struct KafkaConsumerMessage: Sendable, Hashable {
    public let topic: String
    public let partition: Int32
    public let offset: Int64
    public let key: [UInt8]?
    public let value: [UInt8]
    public let headers: [KafkaHeader]
    /// The producer's create time (or the broker's log-append time), if known.
    public let timestamp: Date?
    /// Which of its consumer's clients fetched it (`KafkaConsumer.reconnect()` counts them).
    var generation = 0

    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8],
        headers: [KafkaHeader], timestamp: Date?
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    /// The key as UTF-8 text.
    public var keyString: String? { key.flatMap { String(validating: $0, as: UTF8.self) } }
}
