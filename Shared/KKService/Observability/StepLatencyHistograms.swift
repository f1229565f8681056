import Foundation
import KKConfiguration
import KKDomain
import Logging
import Metrics
import Postgres
import ServiceLifecycle

/// `kk_sop_step_seconds{step}`: how long each SOP step took in working time
/// (from the request's previous event to the event completing the step, the
/// office calendar's open hours only, as the SLA report counts), read from the
/// event log, so steps done in an officer CLI count as much as those done by a
/// daemon; and `kk_sop_step_breaches_total{step}`, the steps over the SOP's
/// time standard. Each service observes the steps of its own part of the SOP.
///
/// The replicas of a service share one cursor row (`step_metric_cursors`):
/// the replica that locks it observes the next events, so summed over the
/// replicas every step is counted once. Events younger than `settle` are left
/// for the next round, so a transaction committing late is not skipped.
struct StepLatencyHistograms: Service {
    static let label = "kk_sop_step_seconds"
    /// From seconds to the SOP's standards (1 to 5 minutes) and well past them.
    static let buckets: [Duration] = [1, 5, 15, 30, 60, 120, 180, 300, 600, 1800, 3600, 14_400, 86_400].map { .seconds($0) }

    let service: String
    let steps: Set<SOPStep>
    let pool: PostgresPool
    let interval: Duration
    let settle: Duration = .seconds(5)
    let logger: Logger

    /// nil for a service that completes no SOP step (the gateway).
    init?(service: String, pool: PostgresPool, interval: Duration, logger: Logger) {
        guard let steps = Self.steps(of: service) else { return nil }
        self.service = service
        self.steps = steps
        self.pool = pool
        self.interval = interval
        self.logger = logger
    }

    /// The SOP steps whose events a service observes (its part of the SOP).
    static func steps(of service: String) -> Set<SOPStep>? {
        switch service {
        case "kk-intake": [.s1, .s2]
        case "kk-entry": [.s3, .s4]
        case "kk-verify": [.s6]
        case "kk-sign": [.s7]
        case "kk-deliver": [.s8]
        case "kk-archive": [.s10]
        default: nil
        }
    }

    func run() async throws {
        let timers = Dictionary(
            uniqueKeysWithValues: steps.map {
                ($0, Metrics.Timer(label: Self.label, dimensions: [("step", String($0.rawValue))], preferredDisplayUnit: .seconds))
            })
        let breaches = Dictionary(
            uniqueKeysWithValues: steps.map {
                ($0, Counter(label: "kk_sop_step_breaches_total", dimensions: [("step", String($0.rawValue))]))
            })
        await Periodic.run(every: interval, logger: logger, failure: "could not read the event log for the step latencies") {
            for (step, seconds) in try await nextObservations() {
                timers[step]?.recordNanoseconds(Int64(seconds * 1e9))
                if step.timeStandard > .zero, seconds > Double(step.timeStandard.components.seconds) { breaches[step]?.increment() }
            }
        }
    }

    /// The steps completed since the cursor, with their durations in seconds;
    /// moves the cursor. Empty when another replica holds it.
    func nextObservations() async throws -> [(SOPStep, Double)] {
        let actions = RequestAction.allCases.filter { $0.completesStep.map(steps.contains) ?? false }.map(\.rawValue).joined(separator: ",")
        let settleSeconds = Int(settle.components.seconds)
        return try await pool.withTransaction { tx in
            try await tx.execute(
                "INSERT INTO step_metric_cursors (service, observed_to) VALUES (\(service), now()) ON CONFLICT (service) DO NOTHING")
            guard
                let cursor = try await tx.query(
                    "SELECT observed_to FROM step_metric_cursors WHERE service = \(service) FOR UPDATE SKIP LOCKED"
                ).rows.first?.decode("observed_to", as: Date.self)
            else { return [] }
            let until = try await tx.query("SELECT now() - make_interval(secs => \(settleSeconds)) AS t").rows[0].decode("t", as: Date.self)
            guard until > cursor else { return [] }
            let rows = try await tx.query(
                """
                SELECT e.action, p.occurred_at AS started, e.occurred_at AS completed
                FROM request_events e
                JOIN request_events p ON p.request_id = e.request_id AND p.version = e.version - 1
                WHERE e.occurred_at > \(cursor) AND e.occurred_at <= \(until) AND e.action = ANY(string_to_array(\(actions), ','))
                """
            ).rows
            try await tx.execute("UPDATE step_metric_cursors SET observed_to = \(until) WHERE service = \(service)")
            let calendar = OfficeHours.calendar
            return try rows.compactMap { row in
                guard let action = RequestAction(rawValue: try row.decode("action", as: String.self)), let step = action.completesStep else { return nil }
                return (step, calendar.workingSeconds(from: try row.decode("started", as: Date.self), to: try row.decode("completed", as: Date.self)))
            }
        }
    }
}
