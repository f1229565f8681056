import Foundation
import Testing

@testable import Postgres

@Suite("Statements prepared once per connection, on the real PostgreSQL")
struct PreparedStatementTests {
    /// The statements this connection has prepared (read without parameters, so the read is not one of them).
    static func prepared(_ connection: PostgresConnection) async throws -> [String] {
        try await connection.query("SELECT statement FROM pg_prepared_statements ORDER BY prepare_time").rows.map {
            try $0.decode("statement", as: String.self)
        }
    }

    @Test("a statement run a hundred times is prepared once, with each call's own values; one without parameters is not prepared")
    func preparedOnce() async throws {
        let connection = try await PostgresConnection.connect(url: try await TestDatabase.fresh(), logger: TestDatabase.logger)
        try await connection.execute("CREATE TABLE families (id int PRIMARY KEY, head text NOT NULL)")
        for id in 0..<100 { try await connection.execute("INSERT INTO families (id, head) VALUES (\(id), \("Kepala \(id)"))") }
        let heads = try await (0..<100).asyncMap { id in
            try await connection.query("SELECT head FROM families WHERE id = \(id)").rows[0].decode("head", as: String.self)
        }
        #expect(heads == (0..<100).map { "Kepala \($0)" })
        #expect(
            try await Self.prepared(connection) == [
                "INSERT INTO families (id, head) VALUES ($1, $2)", "SELECT head FROM families WHERE id = $1",
            ])
        await connection.close()
    }

    @Test("a table changed under a prepared statement (a migration while services run) costs nothing outside a transaction and one retry of a transaction")
    func tableChanged() async throws {
        let url = try await TestDatabase.fresh()
        let pool = try await PostgresPool.connect(url: url, size: 1, logger: TestDatabase.logger)
        try await pool.execute("CREATE TABLE requests (id int PRIMARY KEY, state int NOT NULL)")
        try await pool.execute("INSERT INTO requests VALUES (1, 3)")
        let read: PostgresQuery = "SELECT * FROM requests WHERE id = \(1)"
        #expect(try await pool.query(read).rows.count == 1)
        try await pool.execute("ALTER TABLE requests ADD COLUMN note text")
        #expect(try await pool.query(read).rows[0].decode("note", as: String?.self) == nil, "prepared again, the new column is there")
        try await pool.execute("ALTER TABLE requests ADD COLUMN officer text")
        var tries = 0
        let officer = try await pool.withTransaction { tx in
            tries += 1
            return try await tx.query(read).rows[0].decode("officer", as: String?.self)
        }
        #expect(officer == nil && tries == 2, "the transaction failed once and ran again: \(tries) tries")
        await pool.close()
    }

    @Test("a statement that does not parse fails with the server's own error, and the connection goes on")
    func doesNotParse() async throws {
        let connection = try await PostgresConnection.connect(url: try await TestDatabase.fresh(), logger: TestDatabase.logger)
        let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT nothing FROM nowhere WHERE id = \(1)") }
        #expect(error?.sqlState == SQLState.undefinedTable, "\(String(describing: error))")
        #expect(try await connection.query("SELECT \(7)::int AS n").rows[0].decode("n", as: Int.self) == 7)
        #expect(try await Self.prepared(connection) == ["SELECT $1::int AS n"])
        await connection.close()
    }

    @Test("the cache keeps the statements used last: a full one deallocates the least recently used")
    func leastRecentlyUsedMakesRoom() {
        var cache = PreparedStatements(capacity: 2)
        let a = PreparedStatements.Key(sql: "SELECT $1", types: [25])
        let b = PreparedStatements.Key(sql: "SELECT $1", types: [20])
        let c = PreparedStatements.Key(sql: "SELECT $1 + 1", types: [20])
        let first = cache.add(a)
        let second = cache.add(b)
        #expect(first.evicted == nil && second.evicted == nil && first.name != second.name)
        #expect(cache.name(of: a) == first.name)  // a used after b: b is the oldest now
        let third = cache.add(c)
        #expect(third.evicted == second.name && cache.name(of: b) == nil && cache.count == 2)
    }
}

extension Sequence {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
