import Foundation
import KKDomain
import Postgres

/// The messages consumers gave up on (`dead_letters`, mirrored on
/// kk.deadletter), and the way back: a retry puts the original message on its
/// topic again, through the outbox of the consumer that refused it, after
/// forgetting that consumer's inbox claim, so that consumer processes it anew
/// and every other consumer still skips it.
public enum DeadLetters {
    public struct Letter: Sendable, Equatable {
        public let id: Int64
        public let consumer: String
        public let topic: String
        public let partition: Int
        public let offset: Int64
        public let reason: String
        public let createdAt: Date
        public let retriedAt: Date?
        /// The request the message is about, when it can be read.
        public let requestNumber: String?
    }

    /// The dead letters, oldest first; retried ones only when `includeRetried`.
    public static func list(includeRetried: Bool, in tx: PostgresTransaction) async throws -> [Letter] {
        let filter: PostgresQuery = includeRetried ? "" : "WHERE d.retried_at IS NULL"
        let rows = try await tx.query(
            """
            SELECT d.id, d.consumer, d.topic, d.partition, d."offset", d.reason, d.created_at, d.retried_at, d.payload
            FROM dead_letters d \(unescaped: filter.sql) ORDER BY d.id
            """
        ).rows
        var letters: [Letter] = []
        for row in rows {
            let payload = try row.decode("payload", as: [UInt8].self)
            var number: String?
            if let requestID = (try? EventEnvelope.decode(from: Data(payload)))?.requestId {
                number = try await tx.query("SELECT number FROM requests WHERE id = \(requestID)").rows.first?.decode("number", as: String.self)
            }
            letters.append(
                Letter(
                    id: try row.decode("id", as: Int64.self), consumer: try row.decode("consumer", as: String.self),
                    topic: try row.decode("topic", as: String.self), partition: Int(try row.decode("partition", as: Int32.self)),
                    offset: try row.decode("offset", as: Int64.self), reason: try row.decode("reason", as: String.self),
                    createdAt: try row.decode("created_at", as: Date.self), retriedAt: try row.decode("retried_at", as: Date?.self),
                    requestNumber: number))
        }
        return letters
    }

    /// Every dead letter not retried yet.
    public static func pendingIDs(in tx: PostgresTransaction) async throws -> [Int64] {
        try await tx.query("SELECT id FROM dead_letters WHERE retried_at IS NULL ORDER BY id").rows.map { try $0.decode("id", as: Int64.self) }
    }

    /// Puts dead letter `id` back on its topic for its consumer. `topicPrefix`
    /// is the namespace the services run in (KK_TOPIC_PREFIX): the outbox
    /// stores topics without it.
    public static func retry(_ id: Int64, topicPrefix: String, in tx: PostgresTransaction) async throws {
        guard
            let row = try await tx.query(
                """
                SELECT consumer, topic, message_key, payload, retried_at FROM dead_letters WHERE id = \(id) FOR UPDATE
                """
            ).rows.first
        else { throw DeadLetterError.notFound(id) }
        if let retried = try row.decode("retried_at", as: Date?.self) { throw DeadLetterError.alreadyRetried(id, at: retried) }
        let consumer = try row.decode("consumer", as: String.self)
        let payload = try row.decode("payload", as: [UInt8].self)
        let envelope: EventEnvelope
        do {
            envelope = try EventEnvelope.decode(from: Data(payload))
        } catch {
            throw DeadLetterError.unreadable(id, detail: "\(error)")
        }
        var topic = try row.decode("topic", as: String.self)
        if !topicPrefix.isEmpty, topic.hasPrefix(topicPrefix) { topic.removeFirst(topicPrefix.count) }
        guard Topic(rawValue: topic) != nil else { throw DeadLetterError.unknownTopic(id, topic: topic) }
        let key = (try row.decode("message_key", as: [UInt8]?.self)).map { String(decoding: $0, as: UTF8.self) }
        let messageID = envelope.id.uuidString.lowercased()
        try await tx.execute("DELETE FROM inbox WHERE consumer = \(consumer) AND message_id = \(messageID)")
        try await Outbox.enqueue(
            [
                OutgoingMessage(
                    topic: topic, key: key ?? messageID, payload: payload,
                    headers: [MessageHeader.messageID: messageID, MessageHeader.eventType: envelope.type, "kk-retry-of-dead-letter": String(id)])
            ],
            source: consumer, in: tx)
        try await tx.execute("UPDATE dead_letters SET retried_at = now() WHERE id = \(id)")
    }
}

public enum DeadLetterError: Error, CustomStringConvertible, Equatable {
    case notFound(Int64)
    case alreadyRetried(Int64, at: Date)
    case unreadable(Int64, detail: String)
    case unknownTopic(Int64, topic: String)

    public var description: String {
        switch self {
        case let .notFound(id): "Pesan gagal #\(id) tidak ada; lihat daftarnya dengan `kk-admin deadletter list`."
        case let .alreadyRetried(id, at): "Pesan gagal #\(id) sudah diulang pada \(WIBTime.format(at)); lihat `kk-admin deadletter list --all`."
        case let .unreadable(id, detail):
            "Pesan gagal #\(id) tidak dapat dibaca (\(detail)); mengulangnya akan gagal lagi. Perbaiki pengirimnya; pesan ini tetap tercatat sebagai bukti."
        case let .unknownTopic(id, topic): "Pesan gagal #\(id) berasal dari topik '\(topic)' yang bukan topik alur KK; periksa KK_TOPIC_PREFIX."
        }
    }
}
