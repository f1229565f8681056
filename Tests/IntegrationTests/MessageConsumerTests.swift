import Foundation
import KKDomain
import KKHealth
import KKStore
import KKTesting
import Kafka
import Postgres
import Synchronization
import Testing

@testable import KKMessaging

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

/// A step that never returns (until cancelled): what a hung socket looks like from the consumer.
struct HangingHandler: MessageHandler {
    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        try await Task.sleep(for: .seconds(3600))
        return []
    }
}

/// Records which messages it handled, in order; holds the ones of `heldPartition` until `release()`.
final class HoldingHandler: MessageHandler, Sendable {
    let heldPartition: Int32
    private let state = Mutex((released: false, holding: false, handled: [UUID]()))

    init(holding partition: Int32) { heldPartition = partition }

    func release() { state.withLock { $0.released = true } }
    var handled: [UUID] { state.withLock { $0.handled } }
    /// Whether a message of the held partition is in hand, waiting for `release()`.
    var holding: Bool { state.withLock { $0.holding } }

    /// True once released; until then the held message counts as in hand.
    private func holdOrPass() -> Bool {
        state.withLock { state in
            state.holding = !state.released
            return state.released
        }
    }

    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        while message.raw.partition == heldPartition, !holdOrPass() {
            try await Task.sleep(for: .milliseconds(10))
        }
        state.withLock { $0.handled.append(message.envelope.id) }
        return []
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
        let runner = MessageConsumer(
            name: "kk-test", consumer: consumer, pool: pool, handler: TransitionHandler(output: "kk.test.out"), logger: TestStack.logger)
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
        let runner = MessageConsumer(
            name: "kk-test", consumer: consumer, pool: pool, handler: TransitionHandler(output: "kk.test.out"), logger: TestStack.logger)
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

    @Test("a message that keeps running into a lock (lock_timeout) is tried maxTries times, then dead-lettered with the reason; the partition moves on")
    func lockTimeoutsAreBounded() async throws {
        let url = try await TestStack.freshDatabase()
        // The session settings every service pool gets (ServiceEnvironment), with a short lock_timeout.
        let pool = try await PostgresPool.connect(
            url: url, size: 2, settings: [("lock_timeout", "200"), ("statement_timeout", "5000")], logger: TestStack.logger)
        #expect(try await pool.query("SHOW lock_timeout").rows[0].decode("lock_timeout", as: String.self) == "200ms")
        let topic = try await TestStack.uniqueTopic("locked")
        let consumer = try await KafkaConsumer(configuration: TestStack.consumerConfiguration(group: "g-\(topic)", topics: [topic]), logger: TestStack.logger)
        let runner = MessageConsumer(
            name: "kk-test", consumer: consumer, pool: pool, handler: TransitionHandler(output: "kk.test.out"), logger: TestStack.logger, maxTries: 3)
        let id = try await makeRequest(pool)
        // Another session holds the request's row for the whole test.
        let holder = try await PostgresConnection.connect(url: url, logger: TestStack.logger)
        try await holder.execute("BEGIN")
        try await holder.execute("SELECT id FROM requests WHERE id = \(id) FOR UPDATE")

        let envelope = EventEnvelope(payload: TransitionStep(action: .submit, role: .system), requestId: id, actor: Actor(role: .system, id: "t"))
        #expect(try await runner.process(kafkaMessage(envelope, topic: topic, offset: 3)), "done with: dead-lettered, not retried forever")
        let letters = try await pool.query("SELECT reason FROM dead_letters").rows
        let reason = try #require(letters.first).decode("reason", as: String.self)
        #expect(letters.count == 1 && reason.contains("gave up after 3 tries") && reason.contains("lock timeout"), "\(reason)")
        #expect(try await pool.withTransaction { tx in try await RequestStore.load(id, in: tx).state } == .collectingDocuments)
        try await holder.execute("ROLLBACK")
        await holder.close()
        await consumer.close()
        await pool.close()
    }

    @Test("a consumer stuck inside one try at a message (on something no timeout covers) shows in Liveness; a finished try does not")
    func stuckConsumerIsNotLive() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 2, logger: TestStack.logger)
        let topic = try await TestStack.uniqueTopic("stuck")
        let consumer = try await KafkaConsumer(configuration: TestStack.consumerConfiguration(group: "g-\(topic)", topics: [topic]), logger: TestStack.logger)
        let liveness = Liveness(stallLimit: .milliseconds(300))
        let id = try await makeRequest(pool)
        let envelope = EventEnvelope(payload: TransitionStep(action: .submit, role: .system), requestId: id, actor: Actor(role: .system, id: "t"))
        let done = MessageConsumer(
            name: "kk-test", consumer: consumer, pool: pool, handler: TransitionHandler(output: "kk.test.out"), logger: TestStack.logger,
            liveness: liveness)
        #expect(try await done.process(kafkaMessage(envelope, topic: topic, offset: 1)))
        #expect(liveness.stalled(at: .now + .seconds(5)).isEmpty, "a try that finished is not stuck")

        let stuck = MessageConsumer(name: "kk-test", consumer: consumer, pool: pool, handler: HangingHandler(), logger: TestStack.logger, liveness: liveness)
        let next = EventEnvelope(payload: TransitionStep(action: .submit, role: .system), requestId: id, actor: Actor(role: .system, id: "t"))
        let task = Task { try await stuck.process(kafkaMessage(next, topic: topic, offset: 2)) }
        try await TestStack.waitFor("the hanging try to count as stuck", timeout: .seconds(30)) { !liveness.stalled().isEmpty }
        #expect(liveness.stalled().keys.sorted() == ["consumer"])
        task.cancel()
        _ = try? await task.value
        await consumer.close()
        await pool.close()
    }

    @Test(
        "with lanes, a partition whose step is held up does not hold up another partition's messages; each partition keeps its order and its offsets are committed after the work"
    )
    func lanesWorkPartitionsSideBySide() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 4, logger: TestStack.logger)
        let topic = try await TestStack.uniqueTopic("lanes")
        let group = "g-\(topic)"
        let consumer = try await KafkaConsumer(configuration: TestStack.consumerConfiguration(group: group, topics: [topic]), logger: TestStack.logger)
        let handler = HoldingHandler(holding: 0)
        let runner = MessageConsumer(name: "kk-test", consumer: consumer, pool: pool, handler: handler, logger: TestStack.logger, lanes: 3)
        func envelope() -> EventEnvelope {
            EventEnvelope(payload: TransitionStep(action: .submit, role: .system), requestId: UUID(), actor: Actor(role: .system, id: "t"))
        }
        // Partition 0: a message whose step is held, then one behind it. Partition 1: five others.
        let held = [envelope(), envelope()]
        let others = (0..<5).map { _ in envelope() }
        let producer = try await KafkaProducer(configuration: KafkaProducerConfiguration(TestStack.kafka()), logger: TestStack.logger)
        func send(_ envelopes: [EventEnvelope], to partition: Int32) async throws {
            for envelope in envelopes {
                try await producer.send(KafkaProducerMessage(topic: topic, key: "k", value: Array(envelope.encoded()), partition: partition))
            }
        }
        try await send(held, to: 0)
        let service = Task { try await runner.run() }
        // Partition 1's messages come once partition 0's first is in hand (one lane would then never take them).
        try await TestStack.waitFor("partition 0's first message in hand", timeout: .seconds(60)) { handler.holding }
        try await send(others, to: 1)
        await producer.close()
        try await TestStack.waitFor("partition 1's messages handled while partition 0's first is held", timeout: .seconds(60)) {
            Set(others.map(\.id)).isSubset(of: handler.handled)
        }
        #expect(!handler.handled.contains(held[0].id) && !handler.handled.contains(held[1].id), "partition 0 waits for its first message")
        handler.release()
        try await TestStack.waitFor("partition 0's messages handled once released", timeout: .seconds(60)) {
            Set(held.map(\.id)).isSubset(of: handler.handled)
        }
        let order = handler.handled
        #expect(order.firstIndex(of: held[0].id)! < order.firstIndex(of: held[1].id)!, "partition 0 in its order")
        #expect(order.filter { others.map(\.id).contains($0) } == others.map(\.id), "partition 1 in its order")
        consumer.triggerGracefulShutdown()
        try await service.value

        // Every message's work is committed and so is its offset: the group starts after them.
        let reader = try await KafkaConsumer(configuration: TestStack.consumerConfiguration(group: group, topics: [topic]), logger: TestStack.logger)
        let committed = try await reader.committedOffsets(topic: topic, partitions: [0, 1])
        #expect(committed == [0: 2, 1: 5], "\(committed)")
        #expect(try await TestStack.count("SELECT count(*)::bigint AS n FROM inbox WHERE consumer = 'kk-test'", in: pool) == 7)
        await reader.close()
        await pool.close()
    }

    @Test("a transient database failure is retried and the offset is not marked meanwhile")
    func transientFailureIsRetried() {
        #expect(FailureKind.of(PostgresError.connectionFailed(message: "server closed the connection unexpectedly")) == .transient)
        #expect(FailureKind.of(KafkaError.closed) == .transient)
        #expect(FailureKind.of(MessageRejected("bad")) == .permanent)
        #expect(FailureKind.of(TransitionError.noDataEntryForLostKK) == .permanent)
        // An outage is waited out however long it lasts; a deadlock or an unknown remote outcome counts against maxTries.
        #expect(FailureKind.isOutage(PostgresError.connectionFailed(message: "server closed the connection unexpectedly")))
        #expect(FailureKind.isOutage(KafkaError.closed))
        #expect(!FailureKind.isOutage(RetryLater("the send was cut off")) && FailureKind.of(RetryLater("the send was cut off")) == .transient)
    }
}
