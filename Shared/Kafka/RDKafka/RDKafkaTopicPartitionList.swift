import CKafka

/// A librdkafka topic-partition list that owns its memory: made here or taken
/// over from librdkafka, and destroyed once, when the last reference goes.
final class RDKafkaTopicPartitionList {
    /// One entry as librdkafka left it: after a call, its offset and its own error.
    struct Element {
        let topic: String
        let partition: Int32
        let offset: Int64
        let error: rd_kafka_resp_err_t
    }

    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int = 1) {
        pointer = rd_kafka_topic_partition_list_new(Int32(capacity))
    }

    /// Takes ownership of a list librdkafka handed out.
    init(adopting pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    /// Adds a partition (`RD_KAFKA_PARTITION_UA`, -1: any partition of the topic), with an offset when given.
    func add(topic: String, partition: Int32 = RD_KAFKA_PARTITION_UA, offset: Int64? = nil) {
        let element = rd_kafka_topic_partition_list_add(pointer, topic, partition)!
        if let offset { element.pointee.offset = offset }
    }

    var count: Int { Int(pointer.pointee.cnt) }

    var elements: [Element] {
        (0..<count).map { i in
            let e = pointer.pointee.elems[i]
            return Element(topic: String(cString: e.topic), partition: e.partition, offset: e.offset, error: e.err)
        }
    }
}
