import CLibPQ
import Foundation
import Logging

/// A notification sent with NOTIFY / pg_notify.
public struct PostgresNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    public let pid: Int32
}

/// A dedicated connection that LISTENs on a channel.
public final class PostgresListener: Sendable {
    private let connection: PostgresConnection
    public let channel: String

    private init(connection: PostgresConnection, channel: String) {
        self.connection = connection
        self.channel = channel
    }

    public static func listen(url: String, channel: String, logger: Logger) async throws -> PostgresListener {
        let connection = try await PostgresConnection.connect(url: url, logger: logger)
        let quoted = "\"" + channel.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try await connection.execute("LISTEN \(unescaped: quoted)")
        return PostgresListener(connection: connection, channel: channel)
    }

    /// Waits up to `timeout` for the next notification; nil on timeout.
    /// Throws when the connection broke.
    public func waitForNotification(timeout: Duration) async throws -> PostgresNotification? {
        let millis = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        return try await connection.run { () throws(PostgresError) -> PostgresNotification? in
            guard let conn = self.connection.handleOnQueue else { throw PostgresError(kind: .closed, message: "listener closed") }
            if let n = Self.next(conn) { return n }
            var fd = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
            let ready = poll(&fd, 1, millis)
            guard ready > 0 else { return nil }
            guard PQconsumeInput(conn) == 1 else {
                throw PostgresError(kind: .connection, message: String(cString: PQerrorMessage(conn)))
            }
            return Self.next(conn)
        }
    }

    public func close() async {
        await connection.close()
    }

    private static func next(_ conn: OpaquePointer) -> PostgresNotification? {
        guard let raw = PQnotifies(conn) else { return nil }
        defer { PQfreemem(raw) }
        return PostgresNotification(
            channel: String(cString: raw.pointee.relname), payload: String(cString: raw.pointee.extra), pid: raw.pointee.be_pid)
    }
}

extension PostgresConnection {
    /// Sends a notification (delivered at commit when inside a transaction).
    public func notify(channel: String, payload: String) async throws {
        try await execute("SELECT pg_notify(\(channel), \(payload))")
    }
}
