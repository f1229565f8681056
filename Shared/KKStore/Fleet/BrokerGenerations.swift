import Postgres

/// The owner of `broker_generations`: each row is a recovery from a broker
/// that lost its data (`kk-admin recover`). A service instance whose Kafka
/// clients are older than the newest generation replaces them.
public enum BrokerGenerations {
    /// The newest generation; 0 before the first recovery.
    public static func newest(on database: some PostgresQueryable) async throws -> Int64 {
        try await database.query("SELECT coalesce(max(generation), 0)::bigint AS newest FROM broker_generations").rows[0]
            .decode("newest", as: Int64.self)
    }

    /// Records the next generation, by the administrator `recordedBy`, and returns it.
    /// Two recoveries at once cannot both take the same number (its primary key).
    public static func record(by recordedBy: String, in tx: PostgresTransaction) async throws -> Int64 {
        try await tx.query(
            """
            INSERT INTO broker_generations (generation, recorded_by)
            SELECT coalesce(max(generation), 0) + 1, \(recordedBy) FROM broker_generations
            RETURNING generation
            """
        ).rows[0].decode("generation", as: Int64.self)
    }
}
