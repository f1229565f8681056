import Postgres

/// Each consumer's record of processed message ids. Claiming inside the work's
/// transaction makes a redelivered message a no-op.
public enum Inbox {
    /// Records the message as processed by `consumer`; false when it already was.
    public static func claim(consumer: String, messageID: String, in tx: PostgresTransaction) async throws -> Bool {
        let inserted = try await tx.execute(
            "INSERT INTO inbox (consumer, message_id) VALUES (\(consumer), \(messageID)) ON CONFLICT DO NOTHING")
        return inserted == 1
    }
}
