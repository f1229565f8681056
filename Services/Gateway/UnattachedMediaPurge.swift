import KKService
import KKStore
import Logging
import Postgres

/// Deletes photos and files applicants sent that no request took within
/// `KK_WA_UNATTACHED_MEDIA_HOURS` (sent when no request was waiting for a
/// document, or by someone never making a request): personal data is kept only
/// for the request it serves. Runs in every gateway replica, every
/// `KK_WA_PURGE_INTERVAL_SECONDS` (default 600); deleting is idempotent.
enum UnattachedMediaPurge {
    static func make(pool: PostgresPool, hours: Int, interval: Duration, logger: Logger) -> PeriodicJob {
        PeriodicJob(every: interval, logger: logger, failure: "media purge failed; trying again later") {
            var purged = 0
            while true {
                let deleted = try await purgeBatch(pool: pool, hours: hours)
                purged += deleted
                if deleted < 500 { break }
            }
            if purged > 0 { logger.notice("unattached media purged", metadata: ["files": "\(purged)", "older-than-hours": "\(hours)"]) }
        }
    }

    /// Deletes up to 500 files past the retention; returns how many.
    static func purgeBatch(pool: PostgresPool, hours: Int) async throws -> Int {
        try await MediaFiles.purgeUnattached(olderThanHours: hours, limit: 500, on: pool)
    }
}
