import Foundation
import KKDomain
import Kafka
import Postgres

/// A decoded message handed to a service's step.
public struct InboundMessage: Sendable {
    public let envelope: EventEnvelope
    public let raw: KafkaConsumerMessage
    /// What the step's `prepare` returned (nil for steps without one).
    public let prepared: (any Sendable)?

    public init(envelope: EventEnvelope, raw: KafkaConsumerMessage, prepared: (any Sendable)? = nil) {
        self.envelope = envelope
        self.raw = raw
        self.prepared = prepared
    }
}

/// One service step: given a message, do the work inside the transaction
/// (check the state machine, append events, update the read model) and return
/// the messages to publish. The runtime adds the inbox check and the outbox
/// write to the same transaction, so the step happens exactly once in effect.
///
/// A step that must talk to the network or write files does that in `prepare`,
/// with no transaction open (a transaction held across a remote call holds its
/// row locks and a pool connection for as long as the remote side takes, and a
/// rollback after the call cannot take the call back). `prepare` must be safe to
/// run again for the same message: after a crash it is, before its result was
/// committed. Its result reaches `handle` as `message.prepared`; when only the
/// transaction fails (a deadlock, a database restart), `handle` is retried with
/// the same result and `prepare` is not run again.
public protocol MessageHandler: Sendable {
    func prepare(_ message: InboundMessage, pool: PostgresPool) async throws -> (any Sendable)?
    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage]
}

extension MessageHandler {
    /// Most steps work inside their transaction only.
    public func prepare(_ message: InboundMessage, pool: PostgresPool) async throws -> (any Sendable)? { nil }
}

/// A handler's way to say "this message can never be processed" (it goes to
/// the dead-letter topic with this reason), as opposed to a transient failure.
public struct MessageRejected: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// A handler's way to say "try this message again later" (from `prepare`, which
/// runs again): the outcome of a remote call is unknown and only a later look
/// can tell. The partition waits; nothing is dead-lettered.
public struct RetryLater: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Whether a failure is worth retrying (the database or broker went away, a
/// lock or a timeout got in the way) or final (the message itself is wrong).
enum FailureKind: Equatable {
    case transient
    case permanent

    static func of(_ error: any Error) -> FailureKind {
        switch error {
        case let error as PostgresError:
            if error.isConnectionFailure || error.isSerializationFailure || error.isDeadlock || error.isStalePlan { return .transient }
            if error.isInClass(SQLState.insufficientResourcesClass, SQLState.operatorInterventionClass, SQLState.systemErrorClass)
                || error.has(SQLState.lockNotAvailable)
            {
                return .transient
            }
            return .permanent
        case is KafkaError, is RetryLater:
            return .transient
        default:
            return .permanent
        }
    }

    /// A transient failure that says nothing about the message: the database or
    /// broker is away or restarting. Retried for as long as it lasts; any other
    /// transient failure (a deadlock, a timeout, a remote outcome still unknown)
    /// is retried a bounded number of times.
    static func isOutage(_ error: any Error) -> Bool {
        switch error {
        case let error as PostgresError:
            error.isConnectionFailure
                || [SQLState.adminShutdown, SQLState.crashShutdown, SQLState.cannotConnectNow].contains { error.has($0) }
        case is KafkaError: true
        default: false
        }
    }
}
