import Crypto
import Foundation
import Hex
import KKDomain
import KKMessaging
import Kafka
import Postgres
import Testing

/// What the tests read back from the database.
package enum Records {
    /// Every request as "number state vN events:M", the thing bad input must never change.
    package static func requests(_ pool: PostgresPool) async throws -> [String] {
        try await pool.query(
            """
            SELECT r.number, r.state, r.version, (SELECT count(*) FROM request_events e WHERE e.request_id = r.id)::bigint AS events
            FROM requests r ORDER BY r.number
            """
        ).rows.map {
            "\(try $0.decode("number", as: String.self)) \(try $0.decode("state", as: String.self)) v\(try $0.decode("version", as: Int32.self)) events:\(try $0.decode("events", as: Int64.self))"
        }
    }

    /// What a webhook can store: inbound messages, statuses, media, contacts, the outbox, the webhook inbox.
    package static func webhookRows(_ pool: PostgresPool) async throws -> [Int64] {
        let row = try await pool.query(
            """
            SELECT (SELECT count(*) FROM wa_inbound)::bigint AS a, (SELECT count(*) FROM wa_message_status)::bigint AS b,
                   (SELECT count(*) FROM media)::bigint AS c, (SELECT count(*) FROM wa_contacts)::bigint AS d,
                   (SELECT count(*) FROM outbox WHERE topic IN ('wa.inbound', 'wa.status'))::bigint AS e,
                   (SELECT count(*) FROM wa_webhook_inbox)::bigint AS f
            """
        ).rows[0]
        return try ["a", "b", "c", "d", "e", "f"].map { try row.decode($0, as: Int64.self) }
    }

    package struct Document: Equatable {
        package let id: UUID
        package let kind: String
        package let contentType: String
        package let size: Int
    }

    package static func documents(of number: String, _ pool: PostgresPool) async throws -> [Document] {
        try await pool.query(
            """
            SELECT m.id, m.document_kind, m.content_type, m.size_bytes::bigint AS size FROM media m JOIN requests r ON r.id = m.request_id
            WHERE r.number = \(number) ORDER BY m.created_at
            """
        ).rows.map {
            Document(
                id: try $0.decode("id", as: UUID.self), kind: try $0.decode("document_kind", as: String.self),
                contentType: try $0.decode("content_type", as: String.self), size: Int(try $0.decode("size", as: Int64.self)))
        }
    }

    package static func ids(of numbers: [String], _ pool: PostgresPool) async throws -> [String: UUID] {
        var ids: [String: UUID] = [:]
        for number in numbers {
            ids[number] = try await pool.query("SELECT id FROM requests WHERE number = \(number)").rows[0].decode("id", as: UUID.self)
        }
        return ids
    }

    package static func deadLetters(_ pool: PostgresPool) async throws -> [String] {
        try await pool.query("SELECT consumer, topic, reason FROM dead_letters ORDER BY id").rows.map {
            "\(try $0.decode("consumer", as: String.self)) \(try $0.decode("topic", as: String.self)): \(try $0.decode("reason", as: String.self))"
        }
    }

    /// Stops the daemons the way `IntakeStack.stop` does (SIGTERM, a graceful drain), but all at
    /// once: each takes several seconds to leave its consumer group, and one after another adds up.
    package static func stop(_ daemons: [Daemon]) {
        for daemon in daemons where daemon.process.isRunning { kill(daemon.process.processIdentifier, SIGTERM) }
        for daemon in daemons { daemon.process.waitUntilExit() }
    }

    /// Publishes raw messages to the stack's topics (with its KK_TOPIC_PREFIX), in order, with one producer.
    package static func publish(_ messages: [(Topic, String, [UInt8])], stack: IntakeStack) async throws {
        let producer = try await KafkaProducer(
            configuration: KafkaProducerConfiguration(
                KafkaConfiguration(brokers: stack.environment["KK_KAFKA_BROKERS"] ?? TestStack.brokers, clientID: "kk-bad-input-tests")),
            logger: TestStack.logger)
        let prefix = stack.environment["KK_TOPIC_PREFIX"]!
        for (topic, key, value) in messages {
            _ = try await producer.send(KafkaProducerMessage(topic: prefix + topic.rawValue, key: key, value: value))
        }
        await producer.close()
    }
}
