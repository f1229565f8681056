import CKafka
import Logging

/// Topic administration: create topics idempotently and read their partition counts.
public final class KafkaAdmin: Sendable {
    /// A topic to create.
    public struct TopicSpec: Sendable, Hashable {
        public var name: String
        public var partitions: Int
        public var replicationFactor: Int

        public init(name: String, partitions: Int, replicationFactor: Int = 1) {
            self.name = name
            self.partitions = partitions
            self.replicationFactor = replicationFactor
        }
    }

    /// What `createTopics` did with each topic.
    public enum TopicOutcome: Sendable, Hashable {
        case created, alreadyExists
    }

    private let client: RDKafkaClient
    private let configuration: KafkaConfiguration

    public init(configuration: KafkaConfiguration, logger: Logger) async throws(KafkaError) {
        // Admin requests are served by a producer-type handle.
        let client = try RDKafkaClient(
            kind: .producer, properties: configuration.baseProperties.merging(configuration.properties) { _, b in b }, logger: logger)
        let timeout = configuration.connectTimeout
        let brokers = configuration.brokerList
        try await BlockingCall.run { () throws(KafkaError) in try client.checkReachable(brokers: brokers, timeout: timeout) }
        self.client = client
        self.configuration = configuration
    }

    /// Creates the topics that do not exist yet; existing ones are left as they are.
    @discardableResult
    public func createTopics(_ topics: [TopicSpec], timeout: Duration = .seconds(30)) async throws(KafkaError) -> [String: TopicOutcome] {
        let client = self.client
        return try await BlockingCall.run { () throws(KafkaError) -> [String: TopicOutcome] in
            var newTopics: [OpaquePointer?] = []
            defer { for t in newTopics { rd_kafka_NewTopic_destroy(t) } }
            for spec in topics {
                var errstr = [CChar](repeating: 0, count: 512)
                guard let t = rd_kafka_NewTopic_new(spec.name, Int32(spec.partitions), Int32(spec.replicationFactor), &errstr, errstr.count) else {
                    throw .invalidConfiguration(property: "topic \(spec.name)", reason: String(errorBuffer: errstr))
                }
                newTopics.append(t)
            }
            let resultQueue = rd_kafka_queue_new(client.handle)
            defer { rd_kafka_queue_destroy(resultQueue) }
            let options = rd_kafka_AdminOptions_new(client.handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
            defer { rd_kafka_AdminOptions_destroy(options) }
            var errstr = [CChar](repeating: 0, count: 512)
            rd_kafka_AdminOptions_set_request_timeout(options, Int32(timeout.milliseconds), &errstr, errstr.count)
            newTopics.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_CreateTopics(client.handle, buffer.baseAddress, buffer.count, options, resultQueue)
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
            var outcome: [String: TopicOutcome] = [:]
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
    }

    /// The partition count of each existing topic (internal topics excluded).
    public func topics(timeout: Duration = .seconds(10)) async throws(KafkaError) -> [String: Int] {
        let client = self.client
        return try await BlockingCall.run { () throws(KafkaError) -> [String: Int] in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let code = rd_kafka_metadata(client.handle, 1, nil, &metadata, Int32(timeout.milliseconds))
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
}
