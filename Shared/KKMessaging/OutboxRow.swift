import Foundation
import KKDomain
import Kafka
import Postgres

/// An outbox row as the message the relay (and a replay) publishes for it. The row's
/// columns are `id, topic, message_key, payload, headers::text AS headers`.
enum OutboxRow {
    /// The row's id, and its message: the topic under `topicPrefix`, the row's headers
    /// in key order, then its outbox id, then `extraHeaders`.
    static func message(_ row: PostgresRow, topicPrefix: String, extraHeaders: [KafkaHeader] = []) throws -> (
        id: Int64, message: KafkaProducerMessage
    ) {
        let id = try row.decode("id", as: Int64.self)
        let headerText = try row.decode("headers", as: String.self)
        let headerMap = (try? JSONDecoder.kkEvents.decode([String: String].self, from: Data(headerText.utf8))) ?? [:]
        var headers = headerMap.sorted { $0.key < $1.key }.map { KafkaHeader(key: $0.key, string: $0.value) }
        headers.append(KafkaHeader(key: MessageHeader.outboxID, string: String(id)))
        headers += extraHeaders
        let message = KafkaProducerMessage(
            topic: topicPrefix + (try row.decode("topic", as: String.self)), key: try row.decode("message_key", as: String.self),
            value: try row.decode("payload", as: [UInt8].self), headers: headers)
        return (id, message)
    }
}
