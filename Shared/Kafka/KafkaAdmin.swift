import BlockingQueue
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
        try await BlockingQueue.kafka.run { () throws(KafkaError) in try client.checkReachable(brokers: brokers, timeout: timeout) }
        self.client = client
        self.configuration = configuration
    }

    /// Creates the topics that do not exist yet; existing ones are left as they are.
    @discardableResult
    public func createTopics(_ topics: [TopicSpec], timeout: Duration = .seconds(30)) async throws(KafkaError) -> [String: TopicOutcome] {
        let client = self.client
        return try await BlockingQueue.kafka.run { () throws(KafkaError) -> [String: TopicOutcome] in
            try client.createTopics(topics, timeout: timeout)
        }
    }

    /// The partition count of each existing topic (internal topics excluded).
    public func topics(timeout: Duration = .seconds(10)) async throws(KafkaError) -> [String: Int] {
        let client = self.client
        return try await BlockingQueue.kafka.run { () throws(KafkaError) -> [String: Int] in try client.topicPartitionCounts(timeout: timeout) }
    }
}
