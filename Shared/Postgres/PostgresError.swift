import Foundation

/// An error from PostgreSQL or from talking to it. Carries the SQLSTATE when the
/// server sent one, and the failing query's text (never its bound values, which
/// may be personal data).
public struct PostgresError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Could not connect, or the connection broke.
        case connection
        /// The server refused the statement (see `sqlState`).
        case server
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// The connection or pool was closed.
        case closed
    }

    public let kind: Kind
    public let sqlState: String?
    public let message: String
    public let detail: String?
    public let hint: String?
    public let query: String?

    public init(kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil, query: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.query = query
    }

    public static func connectionFailed(message: String) -> PostgresError {
        PostgresError(kind: .connection, message: message)
    }

    /// 40001: the transaction must be retried.
    public var isSerializationFailure: Bool { has(SQLState.serializationFailure) }
    /// 40P01: deadlock detected; retry.
    public var isDeadlock: Bool { has(SQLState.deadlockDetected) }
    /// 0A000 "cached plan must not change result type": a table changed under a prepared
    /// statement (a migration while the service runs); the next try prepares it again.
    public var isStalePlan: Bool { has(SQLState.featureNotSupported) && message.contains("cached plan") }
    /// 23505: a unique constraint refused a duplicate.
    public var isUniqueViolation: Bool { has(SQLState.uniqueViolation) }
    /// The connection could not be made or broke (class 08, or no SQLSTATE at all).
    public var isConnectionFailure: Bool { kind == .connection || kind == .closed || isInClass(SQLState.connectionExceptionClass) }

    public var description: String {
        var text: String
        switch kind {
        case .connection: text = "PostgreSQL connection failed: \(message)"
        case .server: text = "PostgreSQL error \(sqlState ?? "?"): \(message)"
        case .decoding: text = "PostgreSQL result could not be decoded: \(message)"
        case .closed: text = "PostgreSQL connection is closed: \(message)"
        }
        if let detail, !detail.isEmpty { text += " Detail: \(detail)." }
        if let hint, !hint.isEmpty { text += " Hint: \(hint)." }
        if let query { text += " Query: \(query.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))" }
        return text
    }
}
