import Foundation
import KKHealth
import KKMessaging
import KKService
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

/// Records the webhook bodies the route stored (`WebhookInbox`), up to
/// `KK_WA_INBOX_WORKERS` at once, each message and status on its own
/// (`InboundRecorder`). A body with something not recorded yet (the Graph API
/// answering 429 or 5xx, the database away) is tried again after a backoff
/// that doubles from `KK_WA_INBOX_RETRY_MS` up to five minutes; the items
/// already recorded are duplicates then. On the last of `KK_WA_INBOX_ATTEMPTS`
/// a photo WhatsApp still does not give is taken as unavailable, so the
/// applicant is asked to send it again; a body that still fails is dead, with
/// its reason, until an operator retries it (`kk-admin deadletter webhooks`, `retry-webhooks`).
///
/// The route rings the doorbell after storing a body, so a body is recorded at
/// once; a tick every `KK_WA_INBOX_POLL_MS` finds bodies another replica
/// stored, a lease that ended or a backoff that passed.
struct WebhookInboxWorker: Service {
    struct Settings: Sendable {
        var workers: Int
        var attempts: Int
        var firstRetry: Duration
        var lastRetry: Duration = .seconds(300)
        var lease: Duration
        var poll: Duration

        /// The backoff after failed attempt `attempt` (1-based).
        func delay(after attempt: Int) -> Duration {
            let doubled = firstRetry * (1 << min(max(attempt - 1, 0), 20))
            return min(doubled, lastRetry)
        }
    }

    let inbox: WebhookInbox
    let recorder: InboundRecorder
    let doorbell: Doorbell
    let settings: Settings
    let liveness: Liveness
    let logger: Logger

    func run() async throws {
        await withGracefulShutdownHandler {
            async let ticking: Void = Periodic.run(every: settings.poll, logger: logger, failure: "webhook inbox tick failed") { doorbell.ring() }
            await dispatch()
            await ticking
        } onGracefulShutdown: {
            doorbell.close()
        }
    }

    /// On every ring (a new body, a body recorded, the tick) until the doorbell closes:
    /// starts claimed bodies while a worker is free, and claims more while fewer than
    /// `workers` wait in hand, up to twice `workers` in one statement. Claiming ahead
    /// keeps the claims few: one claim per recorded body kept the dispatcher busy 57 s
    /// of a 65 s run (a claim costs some 12 ms with a backlog), and the backlog grew.
    /// The bodies in hand are recorded to the end; those claimed but not started are
    /// given back at shutdown.
    func dispatch() async {
        let inFlight = InFlight()
        var ahead: [WebhookInbox.Claimed] = []
        await withDiscardingTaskGroup { group in
            for await _ in doorbell.rings {
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    while !ahead.isEmpty, inFlight.count.withLock({ $0 }) < settings.workers {
                        let body = ahead.removeFirst()
                        inFlight.count.withLock { $0 += 1 }
                        group.addTask {
                            await record(body)
                            inFlight.count.withLock { $0 -= 1 }
                            doorbell.ring()
                        }
                    }
                    guard ahead.count < settings.workers else { break }  // each body recorded rings again
                    let room = 2 * settings.workers - ahead.count - inFlight.count.withLock { $0 }
                    guard room > 0 else { break }
                    do {
                        let claimed = try await inbox.claim(lease: settings.lease, upTo: room)
                        guard !claimed.isEmpty else { break }
                        ahead += claimed
                    } catch {
                        logger.warning("webhook inbox unreadable; trying again at the next tick", metadata: ["error": "\(error)"])
                        break
                    }
                }
            }
            if !ahead.isEmpty {
                // Not started: another gateway, or this one restarted, takes them at once rather than after the lease.
                do { try await inbox.release(ahead.map(\.id)) } catch {
                    logger.warning("claimed webhook bodies not given back; they wait out their lease", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Bodies being recorded, shared by the dispatcher and the tasks recording them.
    private final class InFlight: Sendable {
        let count = Mutex(0)
    }

    /// Records every body that is due, `workers` at a time, until none is; returns how many
    /// were claimed. For tests and tools; the daemon runs `run()`.
    func drain(workers: Int = 1) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<max(1, workers) {
                group.addTask {
                    var claimed = 0
                    while let body = try await inbox.claim(lease: settings.lease) {
                        claimed += 1
                        await record(body)
                    }
                    return claimed
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// Records one claimed body, holding its lease meanwhile.
    func record(_ claimed: WebhookInbox.Claimed) async {
        let lastAttempt = claimed.attempt >= settings.attempts
        let metadata: Logger.Metadata = ["webhook-body": "\(claimed.id)", "attempt": "\(claimed.attempt)"]
        await liveness.during("webhook body \(claimed.id)") {
            await inbox.holding(claimed.id, lease: settings.lease) { await attempt(claimed, lastAttempt: lastAttempt, metadata: metadata) }
        }
        doorbell.ring()  // the applicant's next body may be due now
    }

    /// One attempt at a claimed body: recorded and deleted, postponed, or, after the last attempt, dead.
    private func attempt(_ claimed: WebhookInbox.Claimed, lastAttempt: Bool, metadata: Logger.Metadata) async {
        do {
            let payload = try JSONDecoder().decode(WebhookPayload.self, from: Data(claimed.body))
            let outcome = try await recorder.record(payload, lastAttempt: lastAttempt)
            try await inbox.finish(claimed.id)
            logger.debug(
                "webhook body recorded",
                metadata: metadata.merging(
                    ["published": "\(outcome.published)", "duplicates": "\(outcome.duplicates)", "statuses": "\(outcome.statuses)"],
                    uniquingKeysWith: { a, _ in a }))
        } catch {
            do {
                if lastAttempt {
                    try await inbox.bury(claimed.id, reason: "\(error)")
                    logger.error(
                        "webhook body not recorded after the last attempt; it waits for an operator (kk-admin deadletter webhooks)",
                        metadata: metadata.merging(["error": "\(error)"], uniquingKeysWith: { a, _ in a }))
                } else {
                    let delay = settings.delay(after: claimed.attempt)
                    try await inbox.postpone(claimed.id, by: delay, reason: "\(error)")
                    logger.warning(
                        "webhook body not recorded yet; trying again",
                        metadata: metadata.merging(["error": "\(error)", "in": "\(delay)"], uniquingKeysWith: { a, _ in a }))
                }
            } catch let inner {
                // The lease ends and the body is claimed again.
                logger.warning(
                    "webhook body's attempt could not be noted", metadata: metadata.merging(["error": "\(inner)"], uniquingKeysWith: { a, _ in a }))
            }
        }
    }

    /// `kk_webhook_inbox_bodies{state="waiting"|"dead"}`, every `interval`.
    static func gauges(inbox: WebhookInbox, interval: Duration, logger: Logger) -> PeriodicJob {
        let waiting = Gauge(label: "kk_webhook_inbox_bodies", dimensions: [("state", "waiting")])
        let dead = Gauge(label: "kk_webhook_inbox_bodies", dimensions: [("state", "dead")])
        return PeriodicJob(every: interval, logger: logger, level: .debug, failure: "could not count the webhook inbox") {
            let depth = try await inbox.depth()
            waiting.record(depth.waiting)
            dead.record(depth.dead)
        }
    }
}
