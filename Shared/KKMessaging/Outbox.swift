import Foundation
import KKDomain
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

    /// One statement for all of `messages` (and the notification), up to `rowsPerStatement` of them.
    public static func enqueue(
        _ messages: [OutgoingMessage], source: String, notify: Bool = true, in tx: PostgresTransaction
    ) async throws {
        for start in stride(from: 0, to: messages.count, by: rowsPerStatement) {
            let chunk = messages[start..<min(start + rowsPerStatement, messages.count)]
            try await tx.execute(try insert(chunk, source: source, notify: notify && chunk.endIndex == messages.count))
        }
    }

    /// PostgreSQL takes at most 65,535 parameters in a statement; each row binds four.
    static let rowsPerStatement = 10_000

    private static func insert(_ messages: ArraySlice<OutgoingMessage>, source: String, notify: Bool) throws -> PostgresQuery {
        var binds = [source.postgresBind]
        var rows: [String] = []
        rows.reserveCapacity(messages.count)
        for message in messages {
            let headers = String(decoding: try JSONEncoder.kkEvents.encode(message.headers), as: UTF8.self)
            binds += [message.topic.postgresBind, message.key.postgresBind, message.payload.postgresBind, headers.postgresBind]
            let last = binds.count
            rows.append("($1, $\(last - 3), $\(last - 2), $\(last - 1), $\(last)::jsonb)")
        }
        var sql = "INSERT INTO outbox (source, topic, message_key, payload, headers) VALUES " + rows.joined(separator: ", ")
        if notify {
            binds.append(channel(for: source).postgresBind)
            sql = "WITH written AS (\(sql)) SELECT pg_notify($\(binds.count), '')"
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}
