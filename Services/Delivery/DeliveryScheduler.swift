import Foundation
import KKDomain
import KKMessaging
import KKService
import KKStore
import Logging
import Postgres
import ServiceLifecycle

/// Looks after deliveries WhatsApp has not confirmed: one whose receipt is on
/// record after all is confirmed; when one is due, it is sent again, until the
/// configured attempts are used up; then the request goes to the print
/// officer's queue. A KK WhatsApp reports `sent` (on its servers, waiting for a
/// phone that is off) is not sent again: it waits another period; so does one the
/// gateway has not sent yet (queued behind a slow Graph API, being sent, or in
/// doubt after a crash and checked by the print officer). Several replicas share the work
/// (`FOR UPDATE SKIP LOCKED`).
struct DeliveryScheduler: Service {
    let pool: PostgresPool
    let settings: DeliveryAttempt.Settings
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await Periodic.run(every: interval, logger: logger, level: .error, failure: "delivery check failed; trying again") {
            while try await pool.withTransaction({ try await DeliveryConfirmation.reconcile(in: $0) }) > 0 {}
            while try await handleDue() > 0 {}
        }
    }

    /// Handles up to 20 due deliveries; returns how many.
    func handleDue(now: Date = Date()) async throws -> Int {
        try await pool.withTransaction { tx in
            let due = try await Deliveries.due(at: now, in: tx)
            for delivery in due {
                let requestID = delivery.requestID
                let attempt = delivery.attempt
                let request = try await RequestStore.load(requestID, in: tx)
                let sending = delivery.state == DeliveryState.sending.rawValue
                // The gateway has not sent it yet (still queued, being sent, or in doubt with the print officer):
                // another copy now would reach the applicant as a second KK once the first goes out.
                let ledger = delivery.ledger
                let atGateway = ledger == nil || ledger == "sending" || ledger == "in_doubt"
                if sending, delivery.reached == "sent" || atGateway {
                    logger.notice(
                        atGateway ? "KK not yet sent by the gateway; waiting" : "KK on WhatsApp's servers, not yet on the phone; waiting",
                        metadata: ["request": "\(request.number)", "ledger": "\(ledger ?? "queued")"])
                    try await Deliveries.checkAgain(requestID, at: now.addingTimeInterval(settings.confirmAfter), in: tx)
                } else if attempt < settings.attempts {
                    logger.notice("KK not confirmed; sending again", metadata: ["request": "\(request.number)", "attempt": "\(attempt + 1)"])
                    let messages = try await DeliveryAttempt.start(request, again: true, settings: settings, in: tx, now: now)
                    try await Outbox.enqueue(messages, source: DeliveryHandler.name, in: tx)
                } else {
                    logger.warning("KK never confirmed; handed to the print officer", metadata: ["request": "\(request.number)"])
                    try await Deliveries.handToOfficer(requestID, reason: "tidak ada konfirmasi diterima setelah \(attempt) kali kirim", in: tx)
                    try await OfficerQueue.delivery.add(requestID, at: now, in: tx)
                }
            }
            return due.count
        }
    }
}
