import Foundation
import Testing

@testable import Kafka

@Suite("Consumer groups on the real broker")
struct ConsumerGroupTests {
    @Test("two consumers in one group share the partitions and together read every message once")
    func twoMembersSharePartitions() async throws {
        let topic = TestBroker.uniqueTopic("group")
        try await TestBroker.createTopic(topic, partitions: 4)
        let group = "g-\(topic)"
        let a = try await KafkaConsumer(configuration: TestBroker.consumerConfiguration(group: group, topics: [topic]), logger: TestBroker.logger)
        let b = try await KafkaConsumer(configuration: TestBroker.consumerConfiguration(group: group, topics: [topic]), logger: TestBroker.logger)

        // Poll both until the group has settled with every partition assigned to exactly one member.
        let deadline = ContinuousClock.now + .seconds(60)
        var settled = false
        while ContinuousClock.now < deadline {
            async let pollA = a.pollForAssignment()
            async let pollB = b.pollForAssignment()
            let (assignedA, assignedB) = try await (pollA, pollB)
            if !assignedA.isEmpty, !assignedB.isEmpty, assignedA.isDisjoint(with: assignedB),
                assignedA.union(assignedB) == [0, 1, 2, 3]
            {
                settled = true
                break
            }
        }
        try #require(settled, "the group never split the 4 partitions between the 2 members")

        let producer = try await TestBroker.producer()
        let sent = (0..<80).map { KafkaProducerMessage(topic: topic, key: "req-\($0)", value: Array("\($0)".utf8)) }
        for r in await producer.send(sent) { _ = try r.get() }
        await producer.close()

        async let fromA = collect(a, count: 80, timeout: .seconds(30))
        async let fromB = collect(b, count: 80, timeout: .seconds(30))
        let (messagesA, messagesB) = try await (fromA, fromB)
        await a.close()
        await b.close()

        #expect(!messagesA.isEmpty)
        #expect(!messagesB.isEmpty)
        #expect(Set(messagesA.map(\.partition)).isDisjoint(with: Set(messagesB.map(\.partition))))
        let values = (messagesA + messagesB).compactMap { String(validating: $0.value, as: UTF8.self) }
        #expect(values.count == 80)
        #expect(Set(values) == Set((0..<80).map { "\($0)" }))
    }
}

extension KafkaConsumer {
    /// Polls once (serving the group protocol) without consuming messages of interest, and returns the assignment.
    fileprivate func pollForAssignment() async throws -> Set<Int32> {
        let early = try await pollBatch()
        #expect(early.isEmpty, "no message was produced yet")
        return Set(try await assignment().map(\.partition))
    }
}
