import Foundation
import Testing

@testable import Kafka

/// The librdkafka layer on librdkafka's own mock cluster (in this process, no broker
/// needed): what crosses from C into Swift (messages, headers, partition lists,
/// per-partition errors) and back. Topic administration is tested on the real
/// broker (`AdminAndStartupTests`): the mock cluster has no controller for it.
@Suite("The librdkafka layer on librdkafka's mock cluster")
struct MockClusterTests {
    static func configuration(_ cluster: RDKafkaMockCluster) -> KafkaConfiguration {
        KafkaConfiguration(bootstrapServers: [cluster.bootstrapServers], clientID: "kafka-mock-tests")
    }

    /// A mock cluster with `topics` (name and partitions) and a producer on it.
    static func clusterAndProducer(_ topics: [String: Int]) async throws -> (RDKafkaMockCluster, KafkaProducer) {
        let cluster = try RDKafkaMockCluster(logger: TestBroker.logger)
        for (topic, partitions) in topics.sorted(by: { $0.key < $1.key }) { try cluster.createTopic(topic, partitions: partitions) }
        return (cluster, try await KafkaProducer(configuration: KafkaProducerConfiguration(Self.configuration(cluster)), logger: TestBroker.logger))
    }

    static func consumer(_ cluster: RDKafkaMockCluster, topic: String) async throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(Self.configuration(cluster), groupID: "g-\(topic)", topics: [topic])
        configuration.sessionTimeout = .seconds(6)
        configuration.autoCommitInterval = .milliseconds(200)
        return try await KafkaConsumer(configuration: configuration, logger: TestBroker.logger)
    }

    @Test("a message crosses with its key, value and headers (an empty one too); its commit shows as the group's offset, and the lag drops to zero")
    func roundTripAndOffsets() async throws {
        let (cluster, producer) = try await Self.clusterAndProducer(["wa.outbound": 2])
        let value = Array("{\"teks\":\"Permohonan KK Anda diterima 👪\"}".utf8)
        let headers = [KafkaHeader(key: "event-id", string: "e-1"), KafkaHeader(key: "empty", value: nil)]
        let first = try await producer.send(KafkaProducerMessage(topic: "wa.outbound", key: "wa-1", value: value, headers: headers, partition: 1))
        let second = try await producer.send(KafkaProducerMessage(topic: "wa.outbound", key: "wa-1", value: [], partition: 1))
        #expect(first.partition == 1 && first.offset == 0 && second.offset == 1)
        await producer.close()

        let consumer = try await Self.consumer(cluster, topic: "wa.outbound")
        let messages = try await collect(consumer, count: 2, timeout: .seconds(30))
        try #require(messages.count == 2)
        #expect(messages[0].keyString == "wa-1" && messages[0].value == value && messages[0].partition == 1)
        #expect(messages[0].headers.string(for: "event-id") == "e-1")
        #expect(messages[0].headers.contains { $0.key == "empty" && $0.value == nil })
        #expect(messages[1].value.isEmpty && messages[1].offset == 1)
        #expect(Set(try await consumer.assignment().map(\.partition)) == [0, 1])
        #expect(try await consumer.lag()[.init(topic: "wa.outbound", partition: 1)] == 2, "nothing processed yet")

        try await consumer.commit(messages[0])
        #expect(try await consumer.committedOffsets(topic: "wa.outbound", partitions: [0, 1])[1] == 1)
        try await consumer.commit(messages[1])
        #expect(try await consumer.committedOffsets(topic: "wa.outbound", partitions: [0, 1])[1] == 2)
        #expect(try await consumer.lag().values.allSatisfy { $0 == 0 })
        await consumer.close()
        #expect(throws: KafkaError.closed) { try consumer.markProcessed(messages[1]) }
    }

    @Test("an offset of a partition this member is not assigned is refused with librdkafka's per-partition error")
    func offsetOfAPartitionNotAssigned() async throws {
        let (cluster, producer) = try await Self.clusterAndProducer(["kk.request": 1, "kk.document": 1])
        try await producer.send(KafkaProducerMessage(topic: "kk.request", key: "r-1", value: [1]))
        await producer.close()
        let consumer = try await Self.consumer(cluster, topic: "kk.request")
        defer { Task { await consumer.close() } }
        let received = try await collect(consumer, count: 1, timeout: .seconds(30))
        try #require(received.count == 1)
        let elsewhere = KafkaConsumerMessage(
            topic: "kk.document", partition: 0, offset: 0, key: nil, value: [], headers: [], timestamp: nil)
        let error = try #require(throws: KafkaError.self) { try consumer.markProcessed(elsewhere) }
        #expect(error.isPartitionNotAssigned, "\(error)")
        try consumer.markProcessed(received[0])
    }

    @Test(
        "reconnect replaces the clients in place: sends go on through the new producer, the new consumer reads from the group's committed offset, and an offset the replaced consumer fetched is not stored"
    )
    func reconnectInPlace() async throws {
        let (cluster, producer) = try await Self.clusterAndProducer(["kk.requests.accepted": 1])
        for value in 0..<2 { try await producer.send(KafkaProducerMessage(topic: "kk.requests.accepted", key: "r-1", value: [UInt8(value)])) }
        let consumer = try await Self.consumer(cluster, topic: "kk.requests.accepted")
        let before = try await collect(consumer, count: 2, timeout: .seconds(30))
        try #require(before.count == 2)
        try await consumer.commit(before[0])

        try await producer.reconnect()
        try await consumer.reconnect()
        let third = try await producer.send(KafkaProducerMessage(topic: "kk.requests.accepted", key: "r-1", value: [2]))
        #expect(third.offset == 2, "the new producer appends to the same partition")
        #expect(throws: KafkaError.clientReplaced) { try consumer.markProcessed(before[1]) }
        // The replaced member left without a goodbye: the group gives its partition to the new one after its session timeout.
        let after = try await collect(consumer, count: 2, timeout: .seconds(30))
        #expect(after.map(\.offset) == [1, 2], "from the committed offset on, the second message again and the third")
        #expect(after.map(\.value) == [[1], [2]])
        try await consumer.commit(after[1])
        #expect(try await consumer.committedOffsets(topic: "kk.requests.accepted", partitions: [0])[0] == 3)
        await consumer.close()
        await producer.close()
        await #expect(throws: KafkaError.closed) { try await producer.reconnect() }
    }

    @Test(
        "a producer whose client raised a fatal error (its idempotence state lost) replaces it on its own: the send that met it fails, the next is delivered, a single send or a batch"
    )
    func fatalErrorReplacesTheClient() async throws {
        let (cluster, producer) = try await Self.clusterAndProducer(["wa.outbound": 1])
        func message(_ value: UInt8) -> KafkaProducerMessage { KafkaProducerMessage(topic: "wa.outbound", key: "wa-1", value: [value]) }
        try await producer.send(message(0))

        let first = producer.client
        first.raiseFatalErrorForTesting(reason: "the broker lost the sequence numbers")
        await #expect(throws: KafkaError.self) { try await producer.send(message(1)) }
        #expect(producer.client !== first, "the fatal client was replaced")
        #expect(try await producer.send(message(2)).offset == 1, "the next send is delivered through the new client")

        let second = producer.client
        second.raiseFatalErrorForTesting(reason: "the broker lost the sequence numbers again")
        let failed = await producer.send([message(3), message(4)])
        #expect(failed.allSatisfy { if case .failure = $0 { true } else { false } })
        #expect(producer.client !== second)
        let delivered = await producer.send([message(5), message(6)])
        #expect(try delivered.map { try $0.get().offset } == [2, 3])
        await producer.close()
        withExtendedLifetime(cluster) {}
    }
}
