import Foundation
import KKDomain
import Kafka
import Postgres

/// For a broker that lost its data: publishes again, from PostgreSQL, every
/// message written for the requests still in flight (not archived, not
/// cancelled): the pipeline events keyed by the request, and the WhatsApp
/// traffic keyed by its applicant since the request began; and the last hour's
/// WhatsApp traffic of everyone (an applicant still typing their request has
/// none in flight, and a lost answer would leave them waiting). In outbox order,
/// so each request's messages keep their order. Consumers drop what they
/// already processed (their inbox has the message id), so a step already done
/// is not done again, and a step whose message was lost is done now.
public struct OutboxReplay: Sendable {
    public struct Summary: Sendable, Equatable {
        public let requests: Int
        /// Messages published per topic (without the prefix).
        public let messages: [String: Int]
    }

    let pool: PostgresPool
    let topicPrefix: String

    public init(pool: PostgresPool, topicPrefix: String) {
        self.pool = pool
        self.topicPrefix = topicPrefix
    }

    /// What a replay would publish, without publishing it.
    public func plan() async throws -> (requests: Int, messages: [KafkaProducerMessage]) {
        try await pool.withTransaction { tx in
            let requests = try await tx.query(
                "SELECT count(*)::bigint AS n FROM requests WHERE state NOT IN (\(RequestState.archived.rawValue), \(RequestState.cancelled.rawValue))"
            ).rows[0].decode("n", as: Int64.self)
            let rows = try await tx.query(
                """
                WITH in_flight AS (
                    SELECT id::text AS request_key, applicant_ref, created_at FROM requests
                    WHERE state NOT IN (\(RequestState.archived.rawValue), \(RequestState.cancelled.rawValue))
                )
                SELECT o.id, o.topic, o.message_key, o.payload, o.headers::text AS headers FROM outbox o
                WHERE o.sent_at IS NOT NULL AND o.topic <> \(Topic.deadLetter.rawValue) AND (
                    o.message_key IN (SELECT request_key FROM in_flight)
                    OR EXISTS (SELECT 1 FROM in_flight f WHERE f.applicant_ref = o.message_key AND o.created_at >= f.created_at - interval '1 hour')
                    OR (o.topic LIKE 'wa.%' AND o.created_at > now() - interval '1 hour'))
                ORDER BY o.id
                """
            ).rows
            let replayed = [KafkaHeader(key: MessageHeader.replayed, string: "1")]
            let messages = try rows.map { try OutboxRow.message($0, topicPrefix: topicPrefix, extraHeaders: replayed).message }
            return (Int(requests), messages)
        }
    }

    /// Publishes the plan and waits for the broker to acknowledge every message.
    public func run(producer: KafkaProducer) async throws -> Summary {
        let (requests, messages) = try await plan()
        var counts: [String: Int] = [:]
        for batch in stride(from: 0, to: messages.count, by: 500).map({ Array(messages[$0..<min($0 + 500, messages.count)]) }) {
            for (message, result) in zip(batch, await producer.send(batch)) {
                if case let .failure(error) = result { throw ReplayError.publishFailed(topic: message.topic, detail: "\(error)") }
                counts[String(message.topic.dropFirst(topicPrefix.count)), default: 0] += 1
            }
        }
        return Summary(requests: requests, messages: counts)
    }
}

public enum ReplayError: Error, CustomStringConvertible, OfficerFacingError {
    case publishFailed(topic: String, detail: String)

    public var description: String {
        switch self {
        case let .publishFailed(topic, detail):
            "Penerbitan ulang ke \(topic) gagal (\(detail)). Periksa broker dan topiknya (`kk-admin topics create`), lalu jalankan `kk-admin replay` lagi: pesan yang sudah diproses dilewati."
        }
    }
}
