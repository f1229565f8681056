import Foundation
import Postgres
import Testing

struct Boom: Error {}

@Suite("Transactions, errors and LISTEN/NOTIFY on the real PostgreSQL")
struct TransactionTests {
    @Test("a thrown error rolls the transaction back")
    func rollbackOnError() async throws {
        let pool = try await PostgresPool.connect(url: try await TestDatabase.fresh(), size: 2, logger: TestDatabase.logger)
        try await pool.execute("CREATE TABLE items (id int PRIMARY KEY)")
        await #expect(throws: Boom.self) {
            try await pool.withTransaction { tx in
                try await tx.execute("INSERT INTO items VALUES (1)")
                throw Boom()
            }
        }
        let count = try await pool.query("SELECT count(*)::bigint AS n FROM items").rows[0].decode("n", as: Int64.self)
        #expect(count == 0)
        // The connection is usable afterwards (not left inside the failed transaction).
        try await pool.withTransaction { tx in try await tx.execute("INSERT INTO items VALUES (2)") }
        #expect(try await pool.query("SELECT count(*)::bigint AS n FROM items").rows[0].decode("n", as: Int64.self) == 1)
        await pool.close()
    }

    @Test("SQL errors carry their SQLSTATE and the query, not the bound values")
    func sqlState() async throws {
        let pool = try await PostgresPool.connect(url: try await TestDatabase.fresh(), size: 1, logger: TestDatabase.logger)
        try await pool.execute("CREATE TABLE officers (nip text PRIMARY KEY)")
        try await pool.execute("INSERT INTO officers VALUES (\("198507122010012001"))")
        do {
            try await pool.execute("INSERT INTO officers VALUES (\("198507122010012001"))")
            Issue.record("duplicate accepted")
        } catch let error as PostgresError {
            #expect(error.sqlState == "23505")
            #expect(error.isUniqueViolation)
            #expect(error.query?.contains("$1") == true)
            #expect(!error.description.contains("198507122010012001") || error.detail?.contains("198507122010012001") == true)
        }
        do {
            try await pool.execute("SELECT * FROM no_such_table")
            Issue.record("query on a missing table succeeded")
        } catch let error as PostgresError {
            #expect(error.sqlState == "42P01")
            #expect(!error.isConnectionFailure)
        }
        await pool.close()
    }

    @Test("a serialization failure re-runs the transaction until it commits")
    func serializationRetry() async throws {
        let pool = try await PostgresPool.connect(url: try await TestDatabase.fresh(), size: 4, logger: TestDatabase.logger)
        try await pool.execute("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)")
        try await pool.execute("INSERT INTO counter VALUES (1, 0)")
        let attempts = AttemptCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    _ = try await pool.withTransaction(isolation: .serializable, maxAttempts: 20) { tx in
                        await attempts.increment()
                        let n = try await tx.query("SELECT n FROM counter WHERE id = 1").rows[0].decode("n", as: Int32.self)
                        try await Task.sleep(for: .milliseconds(50))  // overlap with the others
                        try await tx.execute("UPDATE counter SET n = \(n + 1) WHERE id = 1")
                    }
                }
            }
            try await group.waitForAll()
        }
        let final = try await pool.query("SELECT n FROM counter WHERE id = 1").rows[0].decode("n", as: Int32.self)
        #expect(final == 4)  // no lost update
        #expect(await attempts.value > 4)  // some bodies ran again after a serialization failure
        await pool.close()
    }

    @Test("a notification sent from another connection arrives with its payload")
    func listenNotify() async throws {
        let url = try await TestDatabase.fresh()
        let listener = try await PostgresListener.listen(url: url, channel: "kk_test", logger: TestDatabase.logger)
        let sender = try await PostgresConnection.connect(url: url, logger: TestDatabase.logger)
        #expect(try await listener.waitForNotification(timeout: .milliseconds(100)) == nil)
        try await sender.notify(channel: "kk_test", payload: "permohonan KK-20261124-000001")
        let notification = try await listener.waitForNotification(timeout: .seconds(5))
        #expect(notification?.channel == "kk_test")
        #expect(notification?.payload == "permohonan KK-20261124-000001")
        await sender.close()
        await listener.close()
    }

    @Test("an unreachable database fails with an actionable message and no password")
    func unreachable() async throws {
        do {
            _ = try await PostgresPool.connect(url: "postgresql://kk:sangat-rahasia@127.0.0.1:1/kk", size: 1, logger: TestDatabase.logger)
            Issue.record("connected to nothing")
        } catch let error as PostgresError {
            #expect(error.isConnectionFailure)
            #expect(error.description.contains("127.0.0.1:1"))
            #expect(error.description.contains("make up"))
            #expect(error.description.contains("KK_DATABASE_URL"))
            #expect(!error.description.contains("sangat-rahasia"))
        }
    }
}

actor AttemptCounter {
    private(set) var value = 0
    func increment() { value += 1 }
}
