import CKafka
import Logging

/// A consumer's calls. Blocking: run them on the consumer's serial queue.
extension RDKafkaClient {
    /// Routes the main queue's events (logs, errors, rebalances) into the consumer's and subscribes.
    func subscribe(to topics: [String]) throws(KafkaError) {
        rd_kafka_poll_set_consumer(handle)
        let list = RDKafkaTopicPartitionList(capacity: topics.count)
        for topic in topics { list.add(topic: topic) }
        let code = rd_kafka_subscribe(handle, list.pointer)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.from(code, operation: "subscribe to \(topics)") }
    }

    /// Waits up to `milliseconds` for a message, then takes whatever else is ready, up to `limit`.
    /// A consumer error is logged and skipped (librdkafka recovers on its own); a fatal one is thrown.
    func poll(upTo limit: Int, milliseconds: Int32) throws(KafkaError) -> [KafkaConsumerMessage] {
        var batch: [KafkaConsumerMessage] = []
        var timeout = milliseconds
        while batch.count < limit {
            guard let raw = rd_kafka_consumer_poll(handle, timeout) else { break }
            defer { rd_kafka_message_destroy(raw) }
            timeout = 0
            let err = raw.pointee.err
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                if let fatal = fatalError() { throw fatal }
                let text = rd_kafka_message_errstr(raw).map { String(cString: $0) } ?? ""
                logger.warning("Kafka consumer: \(text)", metadata: ["kafka.error": "\(KafkaError.name(of: err.rawValue))"])
                continue
            }
            batch.append(KafkaConsumerMessage(raw))
        }
        return batch
    }

    /// Stores `next` as the offset to commit for a partition (committed in the background,
    /// on rebalance and on close). Thread-safe: needs no queue.
    func storeOffset(topic: String, partition: Int32, next: Int64) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList()
        list.add(topic: topic, partition: partition, offset: next)
        let what = "store offset \(topic)[\(partition)]@\(next - 1)"
        let code = rd_kafka_offsets_store(handle, list.pointer)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.from(code, operation: what) }
        // A partition no longer assigned (after a rebalance) reports its error per element.
        if let element = list.elements.first, element.error != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.from(element.error, operation: what)
        }
    }

    /// Commits the stored offsets now, waiting for the broker.
    func commitStoredOffsets() throws(KafkaError) {
        let code = rd_kafka_commit(handle, nil, 0)
        // _NO_OFFSET: nothing new to commit (already committed in the background).
        if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR__NO_OFFSET {
            throw KafkaError.from(code, operation: "commit")
        }
    }

    /// Commits the stored offsets and leaves the group; a failure is logged.
    func closeConsumer() {
        let code = rd_kafka_consumer_close(handle)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { logger.warning("Kafka consumer close: \(KafkaError.reason(of: code))") }
    }

    /// The group's committed offsets for `topic`'s partitions (-1001 when none).
    func committedOffsets(topic: String, partitions: [Int32], timeout: Duration) throws(KafkaError) -> [Int32: Int64] {
        let list = RDKafkaTopicPartitionList(capacity: partitions.count)
        for p in partitions { list.add(topic: topic, partition: p) }
        try fillCommittedOffsets(list, timeout: timeout)
        return Dictionary(list.elements.map { ($0.partition, $0.offset) }) { _, last in last }
    }

    /// The partitions assigned to this member.
    func assignment() throws(KafkaError) -> RDKafkaTopicPartitionList {
        var assigned: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let code = rd_kafka_assignment(handle, &assigned)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let assigned else { throw KafkaError.from(code, operation: "read assignment") }
        return RDKafkaTopicPartitionList(adopting: assigned)
    }

    /// Fills in the group's committed offsets of the list's partitions.
    func fillCommittedOffsets(_ list: RDKafkaTopicPartitionList, timeout: Duration) throws(KafkaError) {
        let code = rd_kafka_committed(handle, list.pointer, Int32(timeout.milliseconds))
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.from(code, operation: "fetch committed offsets") }
    }

    /// A partition's low and high watermarks: librdkafka's cached ones, asked of the
    /// broker only when it has none yet. Nil when the broker does not answer in time.
    func watermarks(topic: String, partition: Int32, timeout: Duration) -> (low: Int64, high: Int64)? {
        var low: Int64 = -1
        var high: Int64 = -1
        let cached = rd_kafka_get_watermark_offsets(handle, topic, partition, &low, &high)
        if cached == RD_KAFKA_RESP_ERR_NO_ERROR && high >= 0 && low >= 0 { return (low, high) }
        let queried = rd_kafka_query_watermark_offsets(handle, topic, partition, &low, &high, Int32(timeout.milliseconds))
        return queried == RD_KAFKA_RESP_ERR_NO_ERROR ? (low, high) : nil
    }
}
