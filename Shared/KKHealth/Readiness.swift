import KKLogging
import Synchronization

/// What `/health/ready` reports: each named part of the service (database,
/// consumer, relay) says whether it is ready, and why not.
public final class Readiness: Sendable {
    public struct Status: Sendable, Equatable {
        public let ready: Bool
        public let detail: String
    }

    private let parts = Mutex<[String: Status]>([:])

    public init() {}

    /// Records the state of one part, e.g. `set("database", ready: false, detail: "connection refused")`.
    public func set(_ part: String, ready: Bool, detail: String = "") {
        parts.withLock { $0[part] = Status(ready: ready, detail: PersonalDataMasker.mask(detail)) }
    }

    /// Ready when every registered part is ready (and at least one is registered).
    public var snapshot: (ready: Bool, parts: [String: Status]) {
        let current = parts.withLock { $0 }
        return (!current.isEmpty && current.values.allSatisfy(\.ready), current)
    }
}
