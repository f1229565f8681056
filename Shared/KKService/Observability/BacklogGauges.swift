import Foundation
import KKStore
import Logging
import Metrics
import Postgres
import ServiceLifecycle

/// Gauges an operator watches to see work piling up: the depth of the officer
/// queue a service fills (`kk_officer_queue_depth{queue=...}`) and the
/// service's messages written but not yet published (`kk_outbox_backlog{source=...}`).
/// Read from PostgreSQL every `interval` (KK_GAUGE_INTERVAL_MS, default 5000).
struct BacklogGauges: Service {
    let pool: PostgresPool
    let source: String
    let queue: OfficerQueue?
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let depth = queue.map { Gauge(label: "kk_officer_queue_depth", dimensions: [("queue", $0.rawValue)]) }
        let backlog = Gauge(label: "kk_outbox_backlog", dimensions: [("source", source)])
        await Periodic.run(every: interval, logger: logger, failure: "could not read the backlog gauges") {
            if let queue, let depth {
                let rows = try await pool.query("SELECT count(*)::bigint AS n FROM officer_queue WHERE queue = \(queue.rawValue)").rows
                depth.record(try rows[0].decode("n", as: Int64.self))
            }
            let unsent = try await pool.query("SELECT count(*)::bigint AS n FROM outbox WHERE source = \(source) AND sent_at IS NULL").rows
            backlog.record(try unsent[0].decode("n", as: Int64.self))
        }
    }
}
