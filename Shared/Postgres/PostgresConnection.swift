import BlockingQueue
import CLibPQ
import Foundation
import Logging
import Synchronization

/// One libpq connection. Every libpq call runs on the connection's own serial
/// queue (a dedicated thread), never on Swift's cooperative pool. Use it from
/// one task at a time (the pool guarantees that).
public final class PostgresConnection: @unchecked Sendable {
    private let queue: BlockingQueue
    /// Only touched on `queue`.
    private var conn: OpaquePointer?
    private let broken = Atomic<Bool>(false)
    /// Only touched on `queue`.
    private var statements = PreparedStatements(capacity: 256)
    let logger: Logger
    /// `host:port` for messages (never the password).
    public let endpoint: String

    private init(conn: OpaquePointer, queue: BlockingQueue, logger: Logger, endpoint: String) {
        self.conn = conn
        self.queue = queue
        self.logger = logger
        self.endpoint = endpoint
    }

    deinit {
        if let conn { PQfinish(conn) }
    }

    /// Connects with a `postgres://` / `postgresql://` URL or a `key=value`
    /// conninfo. Adds `connect_timeout=5` unless given, sets UTC and UTF-8, and
    /// TCP keepalives (a peer gone without a FIN is noticed within about a
    /// minute instead of the kernel's two hours). `settings` are server
    /// parameters for the session, e.g. `statement_timeout`.
    public static func connect(
        url: String, applicationName: String = "kk", settings: [(String, String)] = [], logger: Logger
    ) async throws(PostgresError) -> PostgresConnection {
        let queue = BlockingQueue(label: "kk.postgres.connection")
        return try await queue.run { () throws(PostgresError) -> PostgresConnection in
            try open(url: url, applicationName: applicationName, settings: settings, queue: queue, logger: logger)
        }
    }

    private static func open(
        url: String, applicationName: String, settings: [(String, String)], queue: BlockingQueue, logger: Logger
    ) throws(PostgresError) -> PostgresConnection {
        // Defaults first; the expanded URL/conninfo (dbname) comes after and wins.
        let options = (["-c TimeZone=UTC", "-c bytea_output=hex"] + settings.map { "-c \($0.0)=\($0.1)" }).joined(separator: " ")
        let keywords = [
            "connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
            "application_name", "client_encoding", "options", "dbname",
        ]
        let values = ["5", "1", "30", "10", "3", "60000", applicationName, "UTF8", options, url]
        let conn = withArrayOfCStrings(keywords) { k in
            withArrayOfCStrings(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let conn else { throw PostgresError(kind: .connection, message: "libpq could not allocate a connection") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(conn)
            throw PostgresError(
                kind: .connection,
                message: "cannot connect to PostgreSQL at \(ConnectionString.describe(url)): \(message)",
                hint: "is it running? Start the local stack with `make up`, or set KK_DATABASE_URL to a reachable database")
        }
        // Server notices ("table does not exist, skipping") are informational; keep them off stderr.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        let endpoint = "\(String(cString: PQhost(conn))):\(String(cString: PQport(conn)))"
        return PostgresConnection(conn: conn, queue: queue, logger: logger, endpoint: endpoint)
    }

    /// True once the connection broke; the pool replaces broken connections.
    public var isBroken: Bool { broken.load(ordering: .acquiring) }

    /// Runs a parameterised statement (PQexecParams).
    @discardableResult
    public func query(_ query: PostgresQuery) async throws(PostgresError) -> PostgresResult {
        try await run { () throws(PostgresError) -> PostgresResult in try self.execParams(query) }
    }

    /// Runs a statement and returns the number of rows it changed.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws(PostgresError) -> Int {
        try await self.query(query).affectedRows
    }

    /// Runs one or more statements without parameters (PQexec), e.g. a migration file.
    @discardableResult
    public func simpleQuery(_ sql: String) async throws(PostgresError) -> PostgresResult {
        try await run { () throws(PostgresError) -> PostgresResult in
            guard let conn = self.conn else { throw PostgresError(kind: .closed, message: "closed") }
            return try self.check(PQexec(conn, sql), query: sql)
        }
    }

    /// `password` as a SCRAM-SHA-256 verifier for `role` (libpq's
    /// PQencryptPasswordConn), for `ALTER ROLE ... PASSWORD`: the server never
    /// sees the password itself, so no statement log can show it.
    public func scramVerifier(password: String, role: String) async throws(PostgresError) -> String {
        try await run { () throws(PostgresError) -> String in
            guard let conn = self.conn else { throw PostgresError(kind: .closed, message: "closed") }
            guard let verifier = PQencryptPasswordConn(conn, password, role, "scram-sha-256") else {
                throw PostgresError(kind: .connection, message: "the password could not be hashed: \(self.currentError())")
            }
            defer { PQfreemem(verifier) }
            return String(cString: verifier)
        }
    }

    /// Closes the connection. Idempotent.
    public func close() async {
        await run { () -> Void in
            if let conn = self.conn { PQfinish(conn) }
            self.conn = nil
            self.broken.store(true, ordering: .releasing)
        }
    }

    /// Runs `body` on the connection's queue.
    func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        try await queue.run(body)
    }

    /// The raw handle, for code already running on the queue.
    var handleOnQueue: OpaquePointer? { conn }

    private func execParams(_ query: PostgresQuery) throws(PostgresError) -> PostgresResult {
        guard let conn else { throw PostgresError(kind: .closed, message: "closed", query: query.sql) }
        let binds = query.binds
        // libpq reads text values up to their first NUL, so one would be cut short silently;
        // PostgreSQL text cannot hold NUL either. Refuse it as the server refuses it (22021).
        if let index = binds.firstIndex(where: { $0.format == .text && $0.bytes?.contains(0) == true }) {
            throw PostgresError(
                kind: .server, sqlState: SQLState.characterNotInRepertoire,
                message: "parameter $\(index + 1) contains a NUL byte, which a PostgreSQL text value cannot hold",
                hint: "remove NUL characters from the value before storing it", query: query.sql)
        }
        let types = binds.map { Oid($0.oid) }
        let formats = binds.map { $0.format.rawValue }
        let lengths = binds.map { Int32($0.bytes?.count ?? 0) }
        // Keep every value's storage alive while libpq reads it.
        let storage: [UnsafeMutablePointer<CChar>?] = binds.map { bind in
            guard let bytes = bind.bytes else { return nil }
            // Text-format values are read as NUL-terminated strings (libpq ignores their length).
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            bytes.withUnsafeBufferPointer { src in
                if let base = src.baseAddress { p.withMemoryRebound(to: UInt8.self, capacity: bytes.count) { $0.update(from: base, count: bytes.count) } }
            }
            p[bytes.count] = 0
            return p
        }
        defer { for p in storage { p?.deallocate() } }
        let values = storage.map { UnsafePointer($0) }
        // A statement without parameters (BEGIN, COMMIT) costs nothing to plan; one with them is prepared once.
        let resultFormat = query.resultFormat.rawValue
        guard !binds.isEmpty else { return try check(PQexecParams(conn, query.sql, 0, nil, nil, nil, nil, resultFormat), query: query.sql) }
        let key = PreparedStatements.Key(sql: query.sql, types: types)
        var retried = false
        while true {
            let name: String
            if let known = statements.name(of: key) { name = known } else { name = try prepare(key, on: conn) }
            do throws(PostgresError) {
                return try check(PQexecPrepared(conn, name, Int32(binds.count), values, lengths, formats, resultFormat), query: query.sql)
            } catch let stale where stale.isStalePlan {
                // A migration changed a table the plan reads: prepared again. Outside a transaction
                // the call is simply made again; inside one, the transaction is lost and
                // `withTransaction` runs it again.
                statements.forget(key)
                guard !retried, PQtransactionStatus(conn) == PQTRANS_IDLE else { throw stale }
                retried = true
            }
        }
    }

    /// Prepares `key` under a new name (a statement that does not parse fails here, with the
    /// server's error); deallocates the least recently used one when the cache is full.
    private func prepare(_ key: PreparedStatements.Key, on conn: OpaquePointer) throws(PostgresError) -> String {
        let (name, evicted) = statements.add(key)
        do throws(PostgresError) {
            _ = try check(PQprepare(conn, name, key.sql, Int32(key.types.count), key.types), query: key.sql)
        } catch {
            statements.forget(key)
            throw error
        }
        // Best effort: in a transaction that failed it fails too, and the statement lives on with the connection.
        if let evicted { PQclear(PQexec(conn, "DEALLOCATE \(evicted)")) }
        return name
    }

    private func check(_ raw: OpaquePointer?, query: String) throws(PostgresError) -> PostgresResult {
        guard let raw else {
            markBrokenIfNeeded()
            throw PostgresError(kind: .connection, message: currentError(), query: query)
        }
        switch PQresultStatus(raw) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(storage: ResultStorage(raw, query: query))
        default:
            let field = { (code: Int32) -> String? in PQresultErrorField(raw, code).map { String(cString: $0) } }
            let sqlState = field(Int32(UInt8(ascii: "C")))
            let message = field(Int32(UInt8(ascii: "M"))) ?? String(cString: PQresultErrorMessage(raw))
            let detail = field(Int32(UInt8(ascii: "D")))
            let hint = field(Int32(UInt8(ascii: "H")))
            PQclear(raw)
            markBrokenIfNeeded()
            let kind: PostgresError.Kind = (sqlState == nil && isBroken) ? .connection : .server
            throw PostgresError(
                kind: kind, sqlState: sqlState, message: message.trimmingCharacters(in: .whitespacesAndNewlines), detail: detail, hint: hint, query: query)
        }
    }

    private func markBrokenIfNeeded() {
        if let conn, PQstatus(conn) != CONNECTION_OK { broken.store(true, ordering: .releasing) }
    }

    private func currentError() -> String {
        guard let conn else { return "closed" }
        return String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

private func withArrayOfCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) }
    defer { for p in pointers { free(p) } }
    let array = pointers.map { UnsafePointer($0) } + [nil]
    return array.withUnsafeBufferPointer { body($0.baseAddress!) }
}
