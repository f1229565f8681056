import CKafka
import Logging

/// librdkafka's built-in mock cluster, inside this process: brokers that speak
/// the Kafka protocol (topics, produce, fetch, consumer groups, offsets) for
/// tests of this wrapper that need no real broker. It lives as long as this value.
final class RDKafkaMockCluster: Sendable {
    /// The client that owns the cluster; other clients reach it at `bootstrapServers`.
    private let owner: RDKafkaClient
    /// librdkafka's cluster, owned by `owner`; its calls are thread-safe.
    private nonisolated(unsafe) let cluster: OpaquePointer
    /// `host:port,...` of the mock brokers.
    let bootstrapServers: String

    init(brokers: Int = 1, logger: Logger) throws(KafkaError) {
        owner = try RDKafkaClient(kind: .producer, properties: ["test.mock.num.brokers": String(brokers)], logger: logger)
        guard let cluster = rd_kafka_handle_mock_cluster(owner.handle), let list = rd_kafka_mock_cluster_bootstraps(cluster) else {
            throw .clientCreation(reason: "librdkafka made no mock cluster (test.mock.num.brokers)")
        }
        self.cluster = cluster
        bootstrapServers = String(cString: list)
    }

    /// Creates a topic in the cluster itself (its admin API answers no CreateTopics without a controller).
    func createTopic(_ name: String, partitions: Int) throws(KafkaError) {
        let code = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), 1)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.from(code, operation: "create mock topic \(name)") }
    }
}
