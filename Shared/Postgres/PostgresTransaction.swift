/// The statements of one transaction, on the connection that holds it.
public struct PostgresTransaction: Sendable {
    public let connection: PostgresConnection

    @discardableResult
    public func query(_ query: PostgresQuery) async throws(PostgresError) -> PostgresResult {
        try await connection.query(query)
    }

    @discardableResult
    public func execute(_ query: PostgresQuery) async throws(PostgresError) -> Int {
        try await connection.execute(query)
    }
}

/// The isolation level of a transaction.
public enum PostgresIsolation: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension PostgresConnection {
    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it
    /// throws (then rethrows). Serialization failures, deadlocks and a stale
    /// prepared statement re-run the whole body, up to `maxAttempts` times, with a
    /// short jittered backoff.
    @discardableResult
    public func withTransaction<T: Sendable>(
        isolation: PostgresIsolation = .readCommitted, maxAttempts: Int = 5,
        _ body: (PostgresTransaction) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                try await execute("BEGIN ISOLATION LEVEL \(unescaped: isolation.rawValue)")
                let value: T
                do {
                    value = try await body(PostgresTransaction(connection: self))
                    try await execute("COMMIT")
                } catch {
                    if !isBroken { _ = try? await execute("ROLLBACK") }
                    throw error
                }
                return value
            } catch let error as PostgresError where (error.isSerializationFailure || error.isDeadlock || error.isStalePlan) && attempt < maxAttempts {
                attempt += 1
                let jitter = UInt64.random(in: 0...20)
                try await Task.sleep(for: .milliseconds(10 * attempt * attempt) + .milliseconds(jitter))
            }
        }
    }
}
