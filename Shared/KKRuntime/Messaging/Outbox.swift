import Foundation
import Postgres

/// Writes outgoing messages into the outbox table inside the caller's
/// transaction, and wakes the relay (the notification is delivered at commit).
public enum Outbox {
    /// The LISTEN/NOTIFY channel the relays wait on.
    public static let channel = "kk_outbox"

    public static func enqueue(
        _ messages: [OutgoingMessage], source: String, in tx: PostgresTransaction
    ) async throws {
        guard !messages.isEmpty else { return }
        for message in messages {
            let headers = String(decoding: try JSONEncoder().encode(message.headers), as: UTF8.self)
            try await tx.execute(
                """
                INSERT INTO outbox (source, topic, message_key, payload, headers)
                VALUES (\(source), \(message.topic), \(message.key), \(message.payload), \(headers)::jsonb)
                """)
        }
        try await tx.execute("SELECT pg_notify(\(channel), \(source))")
    }
}
