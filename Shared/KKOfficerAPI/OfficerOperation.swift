import KKDomain
import Postgres

/// One thing an officer can do through a service (SOP 2's `open`, SOP 3's
/// `enter`, ...), decided and carried out by the service: the CLI only sends
/// the operation's fields and prints what comes back.
///
/// The service authenticates the caller's session, checks `allowed` (a
/// refusal is audited), runs `perform` and audits the outcome; `perform` does
/// its writes through `call.transaction`, which commits the audit entry with them.
public protocol OfficerOperation: Codable, Sendable {
    associatedtype Output: Codable & Sendable
    /// The route's last segment and the audit log's command, e.g. `open`.
    static var name: String { get }
    /// The SOP roles that may run it.
    static var allowed: Set<Role> { get }
    /// The request it concerns, for the audit log (nil for queues and the like).
    var requestNumber: String? { get }
    func perform(_ call: OfficerCall) async throws -> Output
}

extension OfficerOperation {
    public var requestNumber: String? { nil }
}

/// The output of an operation that has nothing to say but that it was done.
public struct Done: Codable, Sendable, Equatable {
    public init() {}
}

/// Something a service answers without sign-in (checking that a KK is on
/// record, for anyone holding one). It reads only; nothing is audited per call.
public protocol PublicOperation: Codable, Sendable {
    associatedtype Output: Codable & Sendable
    /// The route's last segment, e.g. `periksa`.
    static var name: String { get }
    func perform(pool: PostgresPool) async throws -> Output
}

/// An operation on one request, named by its number (audited against that request).
public protocol RequestOperation: OfficerOperation {
    var number: String { get }
}

extension RequestOperation {
    public var requestNumber: String? { number }
}
