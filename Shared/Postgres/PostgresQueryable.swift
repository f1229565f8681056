/// Where a statement can run: a pool (each statement on a free connection,
/// committed by itself) or a transaction. A store's read that serves both takes one.
public protocol PostgresQueryable: Sendable {
    @discardableResult
    func query(_ query: PostgresQuery) async throws -> PostgresResult

    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int
}

extension PostgresPool: PostgresQueryable {}
extension PostgresTransaction: PostgresQueryable {}
