import KKDomain
import KKService
import KKStore
import Logging
import Postgres

/// The retention schedule, applied by kk-admin serve every
/// `KK_RETENTION_INTERVAL_SECONDS` (default 3600): the same run as
/// `kk-admin retention --run`, audited as the job. Every replica may run it; a
/// run removes only what is still there.
enum RetentionJob {
    static func make(pool: PostgresPool, schedule: RetentionSchedule, interval: Duration, logger: Logger) -> PeriodicJob {
        PeriodicJob(every: interval, logger: logger, failure: "retention run failed; trying again later") {
            let outcome = try await pool.withTransaction { tx in
                try await RetentionPurge.run(schedule, dryRun: false, actor: ("retensi-otomatis", nil, "kk-admin"), in: tx)
            }
            if outcome != RetentionPurge.Outcome() {
                logger.notice(
                    "retention schedule applied",
                    metadata: [
                        "requests": "\(outcome.requests)", "files": "\(outcome.files)", "messages": "\(outcome.messages)",
                        "outbox-rows": "\(outcome.outboxRows)",
                    ])
            }
        }
    }
}
