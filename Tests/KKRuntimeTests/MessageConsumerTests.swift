import Foundation
import Kafka
import KKDomain
@testable import KKRuntime
import Postgres
import Testing

/// A step for the tests: applies the transition the message names.
struct TransitionStep: EventPayload {
    static let eventType = "kk.test.transition"
    static let schemaVersion = 1
    let action: RequestAction
    let role: Role
}

struct TransitionHandler: MessageHandler {
    let output: String
    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        let step = try message.envelope.decode(TransitionStep.self)
        guard let id = message.envelope.requestId else { throw MessageRejected("no request id") }
        let (_, event) = try await RequestStore.transition(id, action: step.action, by: Actor(role: step.role, id: "tester"), in: tx)
        return [OutgoingMessage(topic: output, key: id.uuidString.lowercased(), payload: Array(event.encoded()))]
    }
}

@Suite("The consume -> transaction -> outbox loop on the real broker and database")
struct MessageConsumerTests {
    func makeRequest(_ pool: PostgresPool) async throws -> UUID {
        try await pool.withTransaction { tx in
            let id = try await RequestStore.create(reason: .lost, applicantPhone: "6281299990000", actor: Actor(role: .applicant, id: "a"), in: tx).0.id
            return id
        }
    }

    func kafkaMessage(_ envelope: EventEnvelope, topic: String, offset: Int64) -> KafkaConsumerMessage {
        KafkaConsumerMessage(
            topic: topic, partition: 0, offset: offset, key: Array((envelope.requestId?.uuidString ?? "").utf8),
            value: Array(envelope.encoded()), headers: [], timestamp: Date())
    }

    @Test("a message redelivered after a crash between the database commit and the offset commit changes nothing")
    func redeliveryChangesNothing() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 2, logger: TestStack.logger)
        let topic = try await TestStack.uniqueTopic("redelivery")
        let consumer = try await KafkaConsumer(configuration: TestStack.consumerConfiguration(group: "g-\(topic)", topics: [topic]), logger: TestStack.logger)
        let runner = MessageConsumer(name: "kk-test", consumer: consumer, pool: pool, handler: TransitionHandler(output: "kk.test.out"), logger: TestStack.logger)
        let id = try await makeRequest(pool)
        let envelope = EventEnvelope(payload: TransitionStep(action: .submit, role: .system), requestId: id, actor: Actor(role: .system, id: "t"))
        let message = kafkaMessage(envelope, topic: topic, offset: 7)

        #expect(try await runner.process(message))
        // The process "crashed" before the offset commit: the same message arrives again.
        #expect(try await runner.process(message))

        let events = try await pool.withTransaction { tx in try await RequestStore.events(of: id, in: tx) }
        #expect(events.count == 2)  // created + one submit, not two
        let outbox = try await pool.query("SELECT count(*)::bigint AS n FROM outbox WHERE topic = 'kk.test.out'")
        #expect(try outbox.rows[0].decode("n", as: Int64.self) == 1)
        await consumer.close()
        await pool.close()
    }

    @Test("a poison message goes to the dead letters with its reason and bytes, and the next message is processed")
    func poisonMessageIsDeadLettered() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 2, logger: TestStack.logger)
        let topic = try await TestStack.uniqueTopic("poison")
        let consumer = try await KafkaConsumer(configuration: TestStack.consumerConfiguration(group: "g-\(topic)", topics: [topic]), logger: TestStack.logger)
        let runner = MessageConsumer(name: "kk-test", consumer: consumer, pool: pool, handler: TransitionHandler(output: "kk.test.out"), logger: TestStack.logger)
        let id = try await makeRequest(pool)
        let garbage = Array("{not json".utf8)
        let illegal = EventEnvelope(payload: TransitionStep(action: .sign, role: .headOfDepartment), requestId: id, actor: Actor(role: .system, id: "t"))
        let good = EventEnvelope(payload: TransitionStep(action: .submit, role: .system), requestId: id, actor: Actor(role: .system, id: "t"))

        let producer = try await KafkaProducer(configuration: KafkaProducerConfiguration(TestStack.kafka()), logger: TestStack.logger)
        let key = id.uuidString.lowercased()
        for value in [garbage, Array(illegal.encoded()), Array(good.encoded())] {
            try await producer.send(KafkaProducerMessage(topic: topic, key: key, value: value))
        }
        await producer.close()

        let service = Task { try await runner.run() }
        // Wait until the good message moved the request.
        let deadline = ContinuousClock.now + .seconds(90)
        var state = RequestState.collectingDocuments
        while ContinuousClock.now < deadline, state != .submitted {
            try await Task.sleep(for: .milliseconds(200))
            state = try await pool.withTransaction { tx in try await RequestStore.load(id, in: tx).state }
        }
        consumer.triggerGracefulShutdown()
        try await service.value
        #expect(state == .submitted)

        let letters = try await pool.query("SELECT payload, reason FROM dead_letters ORDER BY \"offset\"").rows
        try #require(letters.count == 2)
        #expect(try letters[0].decode("payload", as: [UInt8].self) == garbage)
        #expect(try letters[0].decode("reason", as: String.self).contains("undecodable"))
        #expect(try letters[1].decode("payload", as: [UInt8].self) == Array(illegal.encoded()))
        let outbox = try await pool.query("SELECT count(*)::bigint AS n FROM outbox WHERE topic = 'kk.deadletter'")
        #expect(try outbox.rows[0].decode("n", as: Int64.self) == 2)
        await pool.close()
    }

    @Test("a transient database failure is retried and the offset is not marked meanwhile")
    func transientFailureIsRetried() {
        #expect(FailureKind.of(PostgresError.connectionFailed(message: "server closed the connection unexpectedly")) == .transient)
        #expect(FailureKind.of(KafkaError.closed) == .transient)
        #expect(FailureKind.of(MessageRejected("bad")) == .permanent)
        #expect(FailureKind.of(TransitionError.noDataEntryForLostKK) == .permanent)
    }
}
