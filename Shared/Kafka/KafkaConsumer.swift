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
///
/// After a broker lost its data and came back, `reconnect()` replaces the
/// librdkafka client in place (librdkafka#4898: a client keeps a lost topic's
/// id), and the sequence goes on with the new one's messages.
public final class KafkaConsumer: Sendable {
    /// The librdkafka client in use; `generation` counts its replacements.
    struct Connection: Sendable {
        let client: RDKafkaClient
        let generation: Int
    }

    let connection: Mutex<Connection>
    let configuration: KafkaConsumerConfiguration
    /// All calls on the handle after creation go through this serial queue (a dedicated thread).
    let queue: BlockingQueue
    let stopping = Atomic<Bool>(false)
    private let closed = Atomic<Bool>(false)

    /// Joins the group and subscribes to `configuration.topics`; fails fast
    /// with `KafkaError.brokerUnreachable` when no broker answers.
    public init(configuration: KafkaConsumerConfiguration, logger: Logger) async throws(KafkaError) {
        let queue = BlockingQueue(label: "kk.kafka.consumer.\(configuration.groupID)")
        let client = try await queue.run { () throws(KafkaError) in try Self.join(configuration, logger: logger) }
        self.connection = Mutex(Connection(client: client, generation: 0))
        self.configuration = configuration
        self.queue = queue
    }

    /// A new client that a broker answered, subscribed. Blocking: run it on the queue.
    private static func join(_ configuration: KafkaConsumerConfiguration, logger: Logger) throws(KafkaError) -> RDKafkaClient {
        let client = try RDKafkaClient(kind: .consumer, properties: configuration.properties, logger: logger)
        try client.checkReachable(brokers: configuration.common.brokerList, timeout: configuration.common.connectTimeout)
        try client.subscribe(to: configuration.topics)
        return client
    }

    /// The client in use.
    var client: RDKafkaClient { connection.withLock { $0.client } }

    /// Replaces the client with a new one that joins the group afresh once a
    /// broker answers. The old one is dropped as a killed process would be: it
    /// neither commits nor leaves the group (see `RDKafkaClient.abandon`).
    /// Messages it fetched may still be in hand: their offsets are no longer
    /// stored (`markProcessed` throws `clientReplaced`), so the new client reads
    /// from the group's committed offsets and the inbox skips what was done.
    public func reconnect() async throws(KafkaError) {
        guard !closed.load(ordering: .acquiring) else { throw .closed }
        try await queue.run { [self] () throws(KafkaError) in
            let fresh = try Self.join(configuration, logger: client.logger)
            let replaced = connection.withLock { current in
                defer { current = Connection(client: fresh, generation: current.generation + 1) }
                return current.client
            }
            replaced.abandon()
        }
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
        let current = connection.withLock { $0 }
        guard message.generation == current.generation else { throw .clientReplaced }
        try current.client.storeOffset(topic: message.topic, partition: message.partition, next: message.offset + 1)
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
