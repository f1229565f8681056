import Foundation
import Kafka
import Testing

@Suite("Topic administration and start-up checks")
struct AdminAndStartupTests {
    @Test("creating topics is idempotent and keeps the partition count")
    func createTopicsIdempotently() async throws {
        let admin = try await KafkaAdmin(configuration: TestBroker.configuration(), logger: TestBroker.logger)
        let name = TestBroker.uniqueTopic("admin")
        let first = try await admin.createTopics([.init(name: name, partitions: 6)])
        #expect(first[name] == .created)
        let second = try await admin.createTopics([.init(name: name, partitions: 6)])
        #expect(second[name] == .alreadyExists)
        let topics = try await admin.topics()
        #expect(topics[name] == 6)
    }

    @Test("the linked librdkafka is at least 2.10")
    func linkedVersionIsRecentEnough() throws {
        #expect(LibrdkafkaVersion.linked >= LibrdkafkaVersion.minimum)
        try LibrdkafkaVersion.check()
    }

    @Test("librdkafka 2.0.2 (Debian 12's) is refused with a message that says how to fix it")
    func oldLibrdkafkaIsRefused() {
        let debian12 = LibrdkafkaVersion(encoded: 0x0200_02FF)
        #expect(debian12.description == "2.0.2")
        #expect(throws: KafkaError.librdkafkaTooOld(found: "2.0.2", required: "2.10.0")) {
            try LibrdkafkaVersion.check(debian12)
        }
        // 2.8 talks to the broker, but crashes when a lost broker's topics come back: refused too.
        #expect(throws: KafkaError.librdkafkaTooOld(found: "2.8.0", required: "2.10.0")) {
            try LibrdkafkaVersion.check(LibrdkafkaVersion(major: 2, minor: 8, patch: 0))
        }
        let message = KafkaError.librdkafkaTooOld(found: "2.0.2", required: "2.10.0").description
        #expect(message.contains("make setup"))
    }

    @Test("an unreachable broker fails with a message a person can act on")
    func unreachableBrokerFailsFast() async throws {
        var config = KafkaConfiguration(brokers: "127.0.0.1:1", clientID: "unreachable-test")
        config.connectTimeout = .seconds(2)
        do {
            _ = try await KafkaProducer(configuration: KafkaProducerConfiguration(config), logger: TestBroker.logger)
            Issue.record("a producer was created without any broker")
        } catch let error {
            guard case .brokerUnreachable(let brokers, _) = error else {
                Issue.record("expected brokerUnreachable, got \(error)")
                return
            }
            #expect(brokers == "127.0.0.1:1")
            #expect(error.description.contains("KK_KAFKA_BROKERS"))
            #expect(error.description.contains("make up"))
        }
    }

    @Test("an unknown librdkafka property is refused by name")
    func badPropertyIsRefused() async {
        var config = TestBroker.configuration()
        config.properties["no.such.property"] = "1"
        await #expect(throws: KafkaError.invalidConfiguration(property: "no.such.property", reason: "No such configuration property: \"no.such.property\"")) {
            _ = try await KafkaProducer(configuration: KafkaProducerConfiguration(config), logger: TestBroker.logger)
        }
    }
}
