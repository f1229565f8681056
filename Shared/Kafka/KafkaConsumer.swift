import BlockingQueue
import Foundation
import Logging
import Synchronization

/// A member of a consumer group whose messages are an `AsyncSequence`.
///
/// Offsets are committed only for messages the caller marks processed, with
/// `markProcessed` (committed in the background, on rebalance and on close)
/// or `commit` (committed before it returns). A rebalance therefore never
/// commits an unprocessed offset: another member re-reads from the last
/// processed one.
///
/// Shutdown: `triggerGracefulShutdown()` stops fetching; the sequence ends
/// after the message in hand; `close()` commits what was marked and leaves
/// the group, so its partitions move to the other members at once.
public final class KafkaConsumer: Sendable {
    let client: RDKafkaClient
    let configuration: KafkaConsumerConfiguration
    /// All calls on the handle after creation go through this serial queue (a dedicated thread).
    let queue: BlockingQueue
    let stopping = Atomic<Bool>(false)
    private let closed = Atomic<Bool>(false)

    /// Joins the group and subscribes to `configuration.topics`; fails fast
    /// with `KafkaError.brokerUnreachable` when no broker answers.
    public init(configuration: KafkaConsumerConfiguration, logger: Logger) async throws(KafkaError) {
        let client = try RDKafkaClient(kind: .consumer, properties: configuration.properties, logger: logger)
        let queue = BlockingQueue(label: "kk.kafka.consumer.\(configuration.groupID)")
        let timeout = configuration.common.connectTimeout
        let brokers = configuration.common.brokerList
        let topics = configuration.topics
        try await queue.run { () throws(KafkaError) in
            try client.checkReachable(brokers: brokers, timeout: timeout)
            try client.subscribe(to: topics)
        }
        self.client = client
        self.configuration = configuration
        self.queue = queue
    }

    deinit {
        if !closed.load(ordering: .acquiring) {
            client.logger.warning("KafkaConsumer dropped without close(); closing now so the group rebalances")
            client.closeConsumer()
        }
    }

    /// The messages of the subscribed topics, in order per partition. Ends
    /// after `triggerGracefulShutdown()`; throws on a fatal client error.
    public var messages: KafkaConsumerMessages { KafkaConsumerMessages(consumer: self) }

    /// Stores the message's offset as processed; it is committed within
    /// `autoCommitInterval`, on rebalance, and on `close()`.
    public func markProcessed(_ message: KafkaConsumerMessage) throws(KafkaError) {
        try storeOffset(of: message)
    }

    /// Marks the message processed and commits it synchronously.
    public func commit(_ message: KafkaConsumerMessage) async throws(KafkaError) {
        try storeOffset(of: message)
        let client = self.client
        try await queue.run { () throws(KafkaError) in try client.commitStoredOffsets() }
    }

    /// Stops fetching: the sequence ends at the next `next()` call.
    public func triggerGracefulShutdown() {
        stopping.store(true, ordering: .releasing)
    }

    /// Commits the processed offsets, leaves the group and releases the
    /// client. Call on every exit path; idempotent.
    public func close() async {
        triggerGracefulShutdown()
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let client = self.client
        await queue.run { client.closeConsumer() }
    }

    /// The offsets the group has committed for `topic`'s partitions (-1001 when none).
    public func committedOffsets(topic: String, partitions: [Int32]) async throws(KafkaError) -> [Int32: Int64] {
        let client = self.client
        return try await queue.run { () throws(KafkaError) -> [Int32: Int64] in
            try client.committedOffsets(topic: topic, partitions: partitions, timeout: .seconds(10))
        }
    }

    private func storeOffset(of message: KafkaConsumerMessage) throws(KafkaError) {
        guard !closed.load(ordering: .acquiring) else { throw .closed }
        try client.storeOffset(topic: message.topic, partition: message.partition, next: message.offset + 1)
    }
}

extension KafkaConsumer {
    /// A partition of a topic.
    public struct TopicPartition: Sendable, Hashable {
        public let topic: String
        public let partition: Int32
    }

    /// The partitions currently assigned to this member of the group.
    public func assignment() async throws(KafkaError) -> [TopicPartition] {
        let client = self.client
        return try await queue.run { () throws(KafkaError) -> [TopicPartition] in
            try client.assignment().elements.map { TopicPartition(topic: $0.topic, partition: $0.partition) }
        }
    }
}

extension KafkaConsumer {
    /// How far the group is behind on each partition assigned to this member:
    /// the partition's high watermark minus the group's committed offset (the
    /// low watermark when nothing was committed yet), as Kafka's own
    /// consumer-group tooling counts it. Offsets are committed only for
    /// processed messages, so this counts messages not yet processed, also the
    /// ones fetched and in hand. Watermarks come from librdkafka's cache and are
    /// queried from the broker only when it has none yet.
    public func lag() async throws(KafkaError) -> [TopicPartition: Int64] {
        guard !closed.load(ordering: .acquiring) else { throw .closed }
        let client = self.client
        return try await queue.run { () throws(KafkaError) -> [TopicPartition: Int64] in
            let list = try client.assignment()
            guard list.count > 0 else { return [:] }
            try client.fillCommittedOffsets(list, timeout: .seconds(2))
            var result: [TopicPartition: Int64] = [:]
            for element in list.elements {
                guard let (low, high) = client.watermarks(topic: element.topic, partition: element.partition, timeout: .seconds(2)) else {
                    continue
                }
                let next = element.offset >= 0 ? max(element.offset, low) : low
                result[TopicPartition(topic: element.topic, partition: element.partition)] = max(0, high - next)
            }
            return result
        }
    }
}
