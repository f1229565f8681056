import Foundation
import Kafka
import Logging
import Metrics
import ServiceLifecycle

/// `kk_consumer_lag{consumer, topic}`: the messages this replica has still to
/// read on the partitions assigned to it, summed per topic. Summed over the
/// replicas of a service it is the group's lag; a topic whose partitions moved
/// to another replica reads 0 here. Read every `interval` (KK_GAUGE_INTERVAL_MS).
struct ConsumerLagGauge: Service {
    let consumer: KafkaConsumer
    let name: String
    /// The subscribed topics with the prefix, and the label each gets (without it).
    let topics: [(topic: String, label: String)]
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let gauges = Dictionary(
            uniqueKeysWithValues: topics.map { ($0.topic, Gauge(label: "kk_consumer_lag", dimensions: [("consumer", name), ("topic", $0.label)])) })
        await Periodic.run(every: interval, logger: logger, level: .debug, failure: "could not read the consumer lag") {
            do {
                let lag = try await consumer.lag()
                var perTopic: [String: Int64] = [:]
                for (partition, behind) in lag { perTopic[partition.topic, default: 0] += behind }
                for (topic, gauge) in gauges { gauge.record(perTopic[topic] ?? 0) }
            } catch KafkaError.closed {
                // The consumer stopped (the service is going down): stay until the shutdown (a service
                // that returns early would be taken for a failure), which also ends the rounds.
                try? await gracefulShutdown()
            }
        }
    }
}
