import CKafka

extension RDKafkaClient {
    /// Creates the topics; says for each whether it was created or existed already. Blocking.
    func createTopics(_ topics: [KafkaAdmin.TopicSpec], timeout: Duration) throws(KafkaError) -> [String: KafkaAdmin.TopicOutcome] {
        var newTopics: [OpaquePointer?] = []
        defer { for t in newTopics { rd_kafka_NewTopic_destroy(t) } }
        for spec in topics {
            var errstr = [CChar](repeating: 0, count: 512)
            guard let t = rd_kafka_NewTopic_new(spec.name, Int32(spec.partitions), Int32(spec.replicationFactor), &errstr, errstr.count) else {
                throw .invalidConfiguration(property: "topic \(spec.name)", reason: String(errorBuffer: errstr))
            }
            newTopics.append(t)
        }
        let resultQueue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(resultQueue) }
        let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errstr = [CChar](repeating: 0, count: 512)
        rd_kafka_AdminOptions_set_request_timeout(options, Int32(timeout.milliseconds), &errstr, errstr.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(handle, buffer.baseAddress, buffer.count, options, resultQueue)
        }
        guard let event = rd_kafka_queue_poll(resultQueue, Int32(timeout.milliseconds) + 1000) else {
            throw .operation(operation: "create topics", code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, reason: "no answer within \(timeout)")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        if eventError != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw .operation(operation: "create topics", code: eventError.rawValue, reason: String(cString: rd_kafka_event_error_string(event)))
        }
        var count = 0
        let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
        var outcome: [String: KafkaAdmin.TopicOutcome] = [:]
        for i in 0..<count {
            let r = results![i]
            let name = String(cString: rd_kafka_topic_result_name(r))
            let code = rd_kafka_topic_result_error(r)
            switch code {
            case RD_KAFKA_RESP_ERR_NO_ERROR: outcome[name] = .created
            case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: outcome[name] = .alreadyExists
            default:
                let reason = rd_kafka_topic_result_error_string(r).map { String(cString: $0) } ?? ""
                throw .operation(operation: "create topic \(name)", code: code.rawValue, reason: reason)
            }
        }
        return outcome
    }

    /// The partition count of each existing topic (internal topics excluded). Blocking.
    func topicPartitionCounts(timeout: Duration) throws(KafkaError) -> [String: Int] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(handle, 1, nil, &metadata, Int32(timeout.milliseconds))
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw KafkaError.from(code, operation: "read metadata") }
        defer { rd_kafka_metadata_destroy(metadata) }
        var result: [String: Int] = [:]
        for i in 0..<Int(metadata.pointee.topic_cnt) {
            let t = metadata.pointee.topics[i]
            let name = String(cString: t.topic)
            if t.err == RD_KAFKA_RESP_ERR_NO_ERROR && !name.hasPrefix("__") { result[name] = Int(t.partition_cnt) }
        }
        return result
    }
}
