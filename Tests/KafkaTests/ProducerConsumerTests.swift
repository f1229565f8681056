import Foundation
import Kafka
import Testing

@Suite("Kafka producer and consumer on the real broker")
struct ProducerConsumerTests {
    @Test("a produced message comes back with its key, value, headers and offset")
    func roundTrip() async throws {
        let topic = TestBroker.uniqueTopic("roundtrip")
        try await TestBroker.createTopic(topic, partitions: 1)
        let producer = try await TestBroker.producer()
        let value = Array("{\"nama\":\"Nur'aini 👪\"}".utf8)
        let report = try await producer.send(
            KafkaProducerMessage(topic: topic, key: "req-1", value: value, headers: [KafkaHeader(key: "event-id", string: "e-1")]))
        #expect(report.topic == topic)
        #expect(report.partition == 0)
        #expect(report.offset == 0)
        let second = try await producer.send(KafkaProducerMessage(topic: topic, key: "req-1", value: [1, 2, 3]))
        #expect(second.offset == 1)
        await producer.close()

        let consumer = try await KafkaConsumer(
            configuration: TestBroker.consumerConfiguration(group: "g-\(topic)", topics: [topic]), logger: TestBroker.logger)
        let messages = try await collect(consumer, count: 2)
        await consumer.close()
        try #require(messages.count == 2)
        #expect(messages[0].keyString == "req-1")
        #expect(messages[0].value == value)
        #expect(messages[0].headers.string(for: "event-id") == "e-1")
        #expect(messages[0].offset == 0)
        #expect(messages[0].timestamp != nil)
        #expect(messages[1].value == [1, 2, 3])
        #expect(messages[1].headers.isEmpty)
    }

    @Test("many messages sent at once are all acknowledged, in order per key")
    func batchSend() async throws {
        let topic = TestBroker.uniqueTopic("batch")
        try await TestBroker.createTopic(topic, partitions: 3)
        let producer = try await TestBroker.producer()
        let messages = (0..<300).map { i in
            KafkaProducerMessage(topic: topic, key: "req-\(i % 7)", value: Array("\(i)".utf8))
        }
        let results = await producer.send(messages)
        await producer.close()
        let reports = try results.map { try $0.get() }
        #expect(reports.count == 300)
        // Messages of one key land in one partition with increasing offsets.
        for key in 0..<7 {
            let ofKey = reports.enumerated().filter { $0.offset % 7 == key }.map(\.element)
            #expect(Set(ofKey.map(\.partition)).count == 1)
            #expect(ofKey.map(\.offset) == ofKey.map(\.offset).sorted())
        }
    }

    @Test("a consumer restarted after committing resumes after its last committed offset")
    func resumesAfterCommit() async throws {
        let topic = TestBroker.uniqueTopic("resume")
        try await TestBroker.createTopic(topic, partitions: 1)
        let producer = try await TestBroker.producer()
        for r in await producer.send((0..<10).map { KafkaProducerMessage(topic: topic, key: "k", value: [UInt8($0)]) }) {
            _ = try r.get()
        }
        await producer.close()
        let group = "g-\(topic)"

        // The first consumer processes (and commits) messages 0...5, reads 6...9 but never marks them.
        let first = try await KafkaConsumer(configuration: TestBroker.consumerConfiguration(group: group, topics: [topic]), logger: TestBroker.logger)
        let seen = try await collect(first, count: 10) { message in
            if message.offset <= 5 { try await first.commit(message) }
        }
        #expect(seen.count == 10)
        await first.close()

        let second = try await KafkaConsumer(configuration: TestBroker.consumerConfiguration(group: group, topics: [topic]), logger: TestBroker.logger)
        let again = try await collect(second, count: 4)
        let committed = try await second.committedOffsets(topic: topic, partitions: [0])
        await second.close()
        // No processed message is seen again; the unprocessed ones are delivered again.
        #expect(again.map(\.offset) == [6, 7, 8, 9])
        #expect(again.map(\.value) == [[6], [7], [8], [9]])
        #expect(committed[0] == 6)
    }

    @Test("a message read but never marked processed is delivered again to the next member")
    func uncommittedIsRedelivered() async throws {
        let topic = TestBroker.uniqueTopic("redeliver")
        try await TestBroker.createTopic(topic, partitions: 1)
        let producer = try await TestBroker.producer()
        try await producer.send(KafkaProducerMessage(topic: topic, key: "k", value: Array("satu".utf8)))
        await producer.close()
        let group = "g-\(topic)"

        let first = try await KafkaConsumer(configuration: TestBroker.consumerConfiguration(group: group, topics: [topic]), logger: TestBroker.logger)
        let read = try await collect(first, count: 1)
        #expect(read.count == 1)
        try await Task.sleep(for: .milliseconds(500))  // longer than the auto-commit interval
        await first.close()

        let second = try await KafkaConsumer(configuration: TestBroker.consumerConfiguration(group: group, topics: [topic]), logger: TestBroker.logger)
        let again = try await collect(second, count: 1)
        await second.close()
        #expect(again.map(\.offset) == [0])
        #expect(again.first?.value == Array("satu".utf8))
    }

    @Test("after the graceful shutdown trigger the sequence ends and close commits what was marked")
    func gracefulShutdown() async throws {
        let topic = TestBroker.uniqueTopic("shutdown")
        try await TestBroker.createTopic(topic, partitions: 1)
        let producer = try await TestBroker.producer()
        for r in await producer.send((0..<5).map { KafkaProducerMessage(topic: topic, key: "k", value: [UInt8($0)]) }) { _ = try r.get() }
        await producer.close()
        let group = "g-\(topic)"
        let consumer = try await KafkaConsumer(configuration: TestBroker.consumerConfiguration(group: group, topics: [topic]), logger: TestBroker.logger)
        var processed: [Int64] = []
        for try await message in consumer.messages {
            processed.append(message.offset)  // the in-flight message is finished...
            try consumer.markProcessed(message)
            if message.offset == 2 { consumer.triggerGracefulShutdown() }  // ...and no further one is taken
        }
        await consumer.close()
        #expect(processed == [0, 1, 2])

        let next = try await KafkaConsumer(configuration: TestBroker.consumerConfiguration(group: group, topics: [topic]), logger: TestBroker.logger)
        let rest = try await collect(next, count: 2)
        await next.close()
        #expect(rest.map(\.offset) == [3, 4])
    }
}
