import Foundation
import KKMessaging
import KKTesting
import Kafka
import Postgres
import Testing

@Suite("The outbox relay on the real broker and database")
struct OutboxRelayTests {
    @Test("a step's messages are written in one statement per 10,000, in order, with their headers, and the relay hears one notification at commit")
    func manyMessagesInOneTransaction() async throws {
        let url = try await TestStack.freshDatabase()
        let pool = try await PostgresPool.connect(url: url, size: 2, logger: TestStack.logger)
        let listener = try await PostgresListener.listen(url: url, channel: Outbox.channel(for: "kk-test"), logger: TestStack.logger)
        let messages = (0..<10_001).map {
            OutgoingMessage(topic: "kk.test", key: "request-\($0 % 3)", payload: Array("\($0)".utf8), headers: ["kk-nomor": "\($0)"])
        }
        try await pool.withTransaction { tx in try await Outbox.enqueue(messages, source: "kk-test", in: tx) }
        let rows = try await pool.query("SELECT message_key, payload, headers->>'kk-nomor' AS n FROM outbox WHERE source = 'kk-test' ORDER BY id").rows
        #expect(rows.count == 10_001)
        #expect(try rows.map { String(decoding: try $0.decode("payload", as: [UInt8].self), as: UTF8.self) } == (0..<10_001).map(String.init))
        #expect(try rows.map { try $0.decode("n", as: String.self) } == (0..<10_001).map(String.init))
        #expect(try rows[4].decode("message_key", as: String.self) == "request-1")
        #expect(try await listener.waitForNotification(timeout: .seconds(10)) != nil, "the relay is woken at commit")
        #expect(try await listener.waitForNotification(timeout: .milliseconds(300)) == nil, "once, not once per statement")
        await listener.close()
        await pool.close()
    }

    @Test("two relay replicas publish each outbox row exactly once and in order per request key")
    func twoReplicasPublishOnceInOrder() async throws {
        let url = try await TestStack.freshDatabase()
        let pool = try await PostgresPool.connect(url: url, size: 4, logger: TestStack.logger)
        let topic = try await TestStack.uniqueTopic("relay")
        let keys = (0..<5).map { "request-\($0)" }
        // 200 rows written by many small transactions, as steps would.
        for i in 0..<200 {
            try await pool.withTransaction { tx in
                try await Outbox.enqueue(
                    [OutgoingMessage(topic: topic, key: keys[i % keys.count], payload: Array("\(i)".utf8))], source: "kk-test", in: tx)
            }
        }
        let producerA = try await KafkaProducer(configuration: KafkaProducerConfiguration(TestStack.kafka("relay-a")), logger: TestStack.logger)
        let producerB = try await KafkaProducer(configuration: KafkaProducerConfiguration(TestStack.kafka("relay-b")), logger: TestStack.logger)
        let relayA = OutboxRelay(
            source: "kk-test", databaseURL: url, pool: pool, producer: producerA, logger: TestStack.logger, batchSize: 17, pollInterval: .milliseconds(100))
        let relayB = OutboxRelay(
            source: "kk-test", databaseURL: url, pool: pool, producer: producerB, logger: TestStack.logger, batchSize: 17, pollInterval: .milliseconds(100))
        let runA = Task { try await relayA.run() }
        let runB = Task { try await relayB.run() }

        // More rows arrive while both run.
        for i in 200..<260 {
            try await pool.withTransaction { tx in
                try await Outbox.enqueue(
                    [OutgoingMessage(topic: topic, key: keys[i % keys.count], payload: Array("\(i)".utf8))], source: "kk-test", in: tx)
            }
        }
        let deadline = ContinuousClock.now + .seconds(90)
        var unsent: Int64 = -1
        while ContinuousClock.now < deadline, unsent != 0 {
            try await Task.sleep(for: .milliseconds(200))
            unsent = try await pool.query("SELECT count(*)::bigint AS n FROM outbox WHERE sent_at IS NULL").rows[0].decode("n", as: Int64.self)
        }
        runA.cancel()
        runB.cancel()
        _ = try? await runA.value
        _ = try? await runB.value
        await producerA.close()
        await producerB.close()
        #expect(unsent == 0)

        let consumer = try await KafkaConsumer(configuration: TestStack.consumerConfiguration(group: "g-\(topic)", topics: [topic]), logger: TestStack.logger)
        var received: [KafkaConsumerMessage] = []
        let readDeadline = ContinuousClock.now + .seconds(90)
        for try await message in consumer.messages {
            received.append(message)
            if received.count >= 260 || ContinuousClock.now > readDeadline { break }
        }
        // Anything extra would arrive right after; give it a moment.
        let extra = Task { () -> Int in
            var n = 0
            for try await _ in consumer.messages { n += 1 }
            return n
        }
        try await Task.sleep(for: .seconds(2))
        consumer.triggerGracefulShutdown()
        let extras = try await extra.value
        await consumer.close()

        let ids = received.compactMap { $0.headers.string(for: MessageHeader.outboxID).flatMap(Int64.init) }
        #expect(received.count == 260)
        #expect(extras == 0)
        #expect(Set(ids).count == 260)  // each row exactly once
        for key in keys {
            let ofKey = received.filter { $0.keyString == key }.compactMap { $0.headers.string(for: MessageHeader.outboxID).flatMap(Int64.init) }
            #expect(ofKey == ofKey.sorted(), "messages of \(key) arrived out of order")
        }
        await pool.close()
    }
}
