import Synchronization

/// What `/health/live` reports: whether any part of the service has been inside
/// one unit of work (one try at a message, one relay batch) for longer than
/// `stallLimit`. Every such unit is bounded (statement, lock and HTTP timeouts,
/// the gateway's send budget), so one that outlasts the limit is stuck on
/// something no timeout covers, and a restart is what frees it: Kubernetes'
/// liveness probe does that. Waiting between tries (a database outage) is not
/// being stuck.
public final class Liveness: Sendable {
    public let stallLimit: Duration
    private let busy = Mutex<[String: ContinuousClock.Instant]>([:])

    /// `KK_LIVENESS_STALL_SECONDS` (default 300: above every timeout a unit of work runs under).
    public init(stallLimit: Duration = .seconds(300)) {
        self.stallLimit = stallLimit
    }

    /// `part` starts a unit of work.
    public func begin(_ part: String, at now: ContinuousClock.Instant = .now) {
        busy.withLock { $0[part] = now }
    }

    /// `part` finished it (or failed it: either way it is not stuck).
    public func end(_ part: String) {
        _ = busy.withLock { $0.removeValue(forKey: part) }
    }

    /// Runs one unit of work of `part`, begun now and ended however it ends.
    public func during<T>(_ part: String, _ work: () async throws -> T) async rethrows -> T {
        begin(part)
        defer { end(part) }
        return try await work()
    }

    /// The parts inside one unit of work for longer than the limit, with how long.
    public func stalled(at now: ContinuousClock.Instant = .now) -> [String: Duration] {
        busy.withLock { $0 }.mapValues { now - $0 }.filter { $0.value > stallLimit }
    }
}
