import Foundation
import Kafka
import KKDomain
import Postgres

/// A decoded message handed to a service's step.
public struct InboundMessage: Sendable {
    public let envelope: EventEnvelope
    public let raw: KafkaConsumerMessage
}

/// One service step: given a message, do the work inside the transaction
/// (check the state machine, append events, update the read model) and return
/// the messages to publish. The runtime adds the inbox check and the outbox
/// write to the same transaction, so the step happens exactly once in effect.
public protocol MessageHandler: Sendable {
    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage]
}

/// A handler's way to say "this message can never be processed" (it goes to
/// the dead-letter topic with this reason), as opposed to a transient failure.
public struct MessageRejected: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Whether a failure is worth retrying (the database or broker went away) or
/// final (the message itself is wrong).
enum FailureKind: Equatable {
    case transient
    case permanent

    static func of(_ error: any Error) -> FailureKind {
        switch error {
        case let error as PostgresError:
            if error.isConnectionFailure || error.isSerializationFailure || error.isDeadlock { return .transient }
            // 53: insufficient resources; 57: operator intervention (shutdown, cannot connect now); 58: system error.
            if let state = error.sqlState, ["53", "57", "58"].contains(String(state.prefix(2))) { return .transient }
            return .permanent
        case is KafkaError:
            return .transient
        default:
            return .permanent
        }
    }
}
