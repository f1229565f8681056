import Foundation
import Postgres

/// Writes outgoing messages into the outbox table inside the caller's
/// transaction, and wakes the source's relay: by a notification on the source's
/// own channel (delivered at commit, heard only by that source's relay), unless
/// the caller wakes a relay in its own process after the commit (`notify: false`).
public enum Outbox {
    /// The LISTEN/NOTIFY channel `source`'s relay waits on (a channel name has at most 63 bytes).
    public static func channel(for source: String) -> String {
        source.utf8.count <= 50 ? "kk_outbox:\(source)" : "kk_outbox:\(UInt64(bitPattern: AdvisoryLockKey.make(source)))"
    }

    public static func enqueue(
        _ messages: [OutgoingMessage], source: String, notify: Bool = true, in tx: PostgresTransaction
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
        if notify { try await tx.execute("SELECT pg_notify(\(channel(for: source)), '')") }
    }
}
