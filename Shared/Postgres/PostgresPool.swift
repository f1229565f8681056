import Logging

/// A small pool of connections. `withConnection` waits for a free one; a broken
/// connection is dropped and replaced by a new one on the next request.
public actor PostgresPool {
    private let url: String
    private let size: Int
    private let settings: [(String, String)]
    private let logger: Logger
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var closed = false

    /// `settings`: server parameters every connection's session starts with (e.g. `statement_timeout`).
    public init(url: String, size: Int, settings: [(String, String)] = [], logger: Logger) {
        self.url = url
        self.size = max(1, size)
        self.settings = settings
        self.logger = logger
    }

    /// Creates the pool and opens one connection at once, so a database that
    /// is not there fails start-up now with an actionable message.
    public static func connect(url: String, size: Int, settings: [(String, String)] = [], logger: Logger) async throws -> PostgresPool {
        let pool = PostgresPool(url: url, size: size, settings: settings, logger: logger)
        try await pool.withConnection { _ in }
        return pool
    }

    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            release(connection)
            return value
        } catch {
            release(connection)
            throw error
        }
    }

    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresResult {
        try await withConnection { try await $0.query(query) }
    }

    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await withConnection { try await $0.execute(query) }
    }

    @discardableResult
    public func withTransaction<T: Sendable>(
        isolation: PostgresIsolation = .readCommitted, maxAttempts: Int = 5,
        _ body: (PostgresTransaction) async throws -> T
    ) async throws -> T {
        try await withConnection { try await $0.withTransaction(isolation: isolation, maxAttempts: maxAttempts, body) }
    }

    /// Closes idle connections now and the others as they are returned.
    public func close() async {
        closed = true
        let toClose = idle
        idle.removeAll()
        for connection in toClose {
            open -= 1
            await connection.close()
        }
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }

    private func acquire() async throws -> PostgresConnection {
        while true {
            if closed { throw PostgresError(kind: .closed, message: "the pool is closed") }
            if let connection = idle.popLast() {
                if connection.isBroken {
                    open -= 1
                    continue
                }
                return connection
            }
            if open < size {
                open += 1
                do {
                    return try await PostgresConnection.connect(url: url, settings: settings, logger: logger)
                } catch {
                    open -= 1
                    wakeOne()
                    throw error
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    private func release(_ connection: PostgresConnection) {
        if closed || connection.isBroken {
            open -= 1
            if closed { Task { await connection.close() } }
        } else {
            idle.append(connection)
        }
        wakeOne()
    }

    private func wakeOne() {
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
}
