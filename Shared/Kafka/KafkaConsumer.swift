import CKafka
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
    let queue: DispatchQueue
    let stopping = Atomic<Bool>(false)
    private let closed = Atomic<Bool>(false)

    /// Joins the group and subscribes to `configuration.topics`; fails fast
    /// with `KafkaError.brokerUnreachable` when no broker answers.
    public init(configuration: KafkaConsumerConfiguration, logger: Logger) async throws(KafkaError) {
        let client = try RDKafkaClient(kind: .consumer, properties: configuration.properties, logger: logger)
        let queue = DispatchQueue(label: "kk.kafka.consumer.\(configuration.groupID)")
        let timeout = configuration.common.connectTimeout
        let brokers = configuration.common.brokerList
        let topics = configuration.topics
        try await Self.onQueue(queue) { () throws(KafkaError) in
            try client.checkReachable(brokers: brokers, timeout: timeout)
            // Route the main queue's events (logs, errors, rebalances) into the consumer queue.
            rd_kafka_poll_set_consumer(client.handle)
            let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for topic in topics { rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA) }
            let code = rd_kafka_subscribe(client.handle, list)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.from(code, operation: "subscribe to \(topics)") }
        }
        self.client = client
        self.configuration = configuration
        self.queue = queue
    }

    deinit {
        if !closed.load(ordering: .acquiring) {
            client.logger.warning("KafkaConsumer dropped without close(); closing now so the group rebalances")
            rd_kafka_consumer_close(client.handle)
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
        try await Self.onQueue(queue) { () throws(KafkaError) in
            let code = rd_kafka_commit(client.handle, nil, 0)
            // _NO_OFFSET: nothing new to commit (already committed in the background).
            if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR__NO_OFFSET {
                throw KafkaError.from(code, operation: "commit")
            }
        }
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
        await Self.onQueue(queue) {
            let code = rd_kafka_consumer_close(client.handle)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                client.logger.warning("Kafka consumer close: \(String(cString: rd_kafka_err2str(code)))")
            }
        }
    }

    /// The offsets the group has committed for `topic`'s partitions (-1001 when none).
    public func committedOffsets(topic: String, partitions: [Int32]) async throws(KafkaError) -> [Int32: Int64] {
        let client = self.client
        return try await Self.onQueue(queue) { () throws(KafkaError) -> [Int32: Int64] in
            let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))!
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for p in partitions { rd_kafka_topic_partition_list_add(list, topic, p) }
            let code = rd_kafka_committed(client.handle, list, 10_000)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.from(code, operation: "fetch committed offsets") }
            var result: [Int32: Int64] = [:]
            for i in 0..<Int(list.pointee.cnt) {
                let element = list.pointee.elems[i]
                result[element.partition] = element.offset
            }
            return result
        }
    }

    private func storeOffset(of message: KafkaConsumerMessage) throws(KafkaError) {
        guard !closed.load(ordering: .acquiring) else { throw .closed }
        let list = rd_kafka_topic_partition_list_new(1)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let element = rd_kafka_topic_partition_list_add(list, message.topic, message.partition)!
        element.pointee.offset = message.offset + 1
        let code = rd_kafka_offsets_store(client.handle, list)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.from(code, operation: "store offset \(message.topic)[\(message.partition)]@\(message.offset)")
        }
        // A partition no longer assigned (after a rebalance) reports its error per element.
        let perPartition = element.pointee.err
        if perPartition != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.from(perPartition, operation: "store offset \(message.topic)[\(message.partition)]@\(message.offset)")
        }
    }

    static func onQueue<T: Sendable, E: Error>(
        _ queue: DispatchQueue, _ body: @escaping @Sendable () throws(E) -> T
    ) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { () throws(E) -> T in try body() }) }
        }
        return try result.get()
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
        return try await Self.onQueue(queue) { () throws(KafkaError) -> [TopicPartition] in
            var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
            let code = rd_kafka_assignment(client.handle, &list)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { throw KafkaError.from(code, operation: "read assignment") }
            defer { rd_kafka_topic_partition_list_destroy(list) }
            return (0..<Int(list.pointee.cnt)).map { i in
                let e = list.pointee.elems[i]
                return TopicPartition(topic: String(cString: e.topic), partition: e.partition)
            }
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
        return try await Self.onQueue(queue) { () throws(KafkaError) -> [TopicPartition: Int64] in
            var assigned: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
            let code = rd_kafka_assignment(client.handle, &assigned)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let list = assigned else { throw KafkaError.from(code, operation: "read assignment") }
            defer { rd_kafka_topic_partition_list_destroy(list) }
            guard list.pointee.cnt > 0 else { return [:] }
            let committed = rd_kafka_committed(client.handle, list, 2_000)
            if committed != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.from(committed, operation: "fetch committed offsets") }
            var result: [TopicPartition: Int64] = [:]
            for i in 0..<Int(list.pointee.cnt) {
                let element = list.pointee.elems[i]
                var low: Int64 = -1
                var high: Int64 = -1
                let cached = rd_kafka_get_watermark_offsets(client.handle, element.topic, element.partition, &low, &high)
                if cached != RD_KAFKA_RESP_ERR_NO_ERROR || high < 0 || low < 0 {
                    guard
                        rd_kafka_query_watermark_offsets(client.handle, element.topic, element.partition, &low, &high, 2_000)
                            == RD_KAFKA_RESP_ERR_NO_ERROR
                    else { continue }
                }
                let next = element.offset >= 0 ? max(element.offset, low) : low
                result[TopicPartition(topic: String(cString: element.topic), partition: element.partition)] = max(0, high - next)
            }
            return result
        }
    }
}
