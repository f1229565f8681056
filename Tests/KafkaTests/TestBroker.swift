import Foundation
import Kafka
import Logging
import Testing

/// The broker the test command started (`make test` runs `make up` first).
enum TestBroker {
    static var brokers: String {
        guard let value = ProcessInfo.processInfo.environment["KK_KAFKA_BROKERS"], !value.isEmpty else {
            Issue.record("KK_KAFKA_BROKERS is not set: run the tests with `make test`, which starts the local broker")
            return "127.0.0.1:19092"
        }
        return value
    }

    static let logger: Logger = {
        var logger = Logger(label: "kafka-tests")
        logger.logLevel = .warning
        return logger
    }()

    static func configuration(clientID: String = "kafka-tests") -> KafkaConfiguration {
        KafkaConfiguration(brokers: brokers, clientID: clientID)
    }

    /// A consumer configured with the short group timeouts that keep joins fast on a test broker.
    static func consumerConfiguration(group: String, topics: [String]) -> KafkaConsumerConfiguration {
        var config = KafkaConsumerConfiguration(configuration(), groupID: group, topics: topics)
        config.sessionTimeout = .seconds(6)
        config.maxPollInterval = .seconds(10)
        config.autoCommitInterval = .milliseconds(200)
        return config
    }

    static func uniqueTopic(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func createTopic(_ name: String, partitions: Int) async throws {
        let admin = try await KafkaAdmin(configuration: configuration(), logger: logger)
        try await admin.createTopics([.init(name: name, partitions: partitions)])
    }

    static func producer() async throws -> KafkaProducer {
        try await KafkaProducer(configuration: KafkaProducerConfiguration(configuration()), logger: logger)
    }
}

/// Reads from `consumer` until `count` messages arrived or `timeout` passed.
func collect(
    _ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(90),
    onEach: (KafkaConsumerMessage) async throws -> Void = { _ in }
) async throws -> [KafkaConsumerMessage] {
    var received: [KafkaConsumerMessage] = []
    let deadline = ContinuousClock.now + timeout
    var iterator = consumer.messages.makeAsyncIterator()
    while received.count < count, ContinuousClock.now < deadline {
        let waiter = Task {
            try await Task.sleep(until: deadline)
            consumer.triggerGracefulShutdown()
        }
        defer { waiter.cancel() }
        guard let message = try await iterator.next() else { break }
        received.append(message)
        try await onEach(message)
    }
    return received
}
