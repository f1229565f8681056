import Foundation
import KKDomain
import KKStore
import Kafka
import Postgres
import Synchronization

/// What an operation runs with on the server: the authenticated officer, the
/// database, and a transaction that carries the operation's audit entry.
public struct OfficerCall: Sendable {
    public let officer: Officer
    public let pool: PostgresPool
    /// The service's producer, for an operation that publishes straight to the broker.
    public let producer: KafkaProducer?
    public let service: String
    public let command: String
    /// The request named by the operation, when it exists.
    public let requestID: UUID?
    package let audit: AuditMark

    package init(
        officer: Officer, pool: PostgresPool, producer: KafkaProducer?, service: String, command: String, requestID: UUID?, audit: AuditMark
    ) {
        self.officer = officer
        self.pool = pool
        self.producer = producer
        self.service = service
        self.command = command
        self.requestID = requestID
        self.audit = audit
    }

    /// Runs `body` in one transaction that also writes the operation's audit
    /// entry (with `detail`, e.g. the reason given): the action and its record
    /// commit together or not at all.
    public func transaction<T: Sendable>(
        detail: String? = nil, _ body: sending (PostgresTransaction) async throws -> T
    ) async throws -> T {
        let result = try await pool.withTransaction { tx in
            let value = try await body(tx)
            try await AuditLog.record(
                username: officer.username, role: officer.role.rawValue, service: service, command: command, requestID: requestID,
                outcome: .ok, detail: detail, in: tx)
            return value
        }
        audit.markWritten()
        return result
    }
}

/// Whether an operation's audit entry was already committed with its transaction.
package final class AuditMark: Sendable {
    private let written = Mutex(false)
    package init() {}
    func markWritten() { written.withLock { $0 = true } }
    package var isWritten: Bool { written.withLock { $0 } }
}
