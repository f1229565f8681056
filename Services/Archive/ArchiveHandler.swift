import Foundation
import KKDomain
import KKMessaging
import KKService
import KKStore
import Logging
import Postgres
import ServiceLifecycle

/// kk-archive's daemon: a delivered KK (kk.documents.delivered) is archived
/// (SOP 10), or with `KK_ARCHIVE_MODE=print-officer` waits in the print
/// officer's archive queue for `kk-archive confirm`; requests waiting for a
/// target that was down are retried.
struct ArchiveHandler: MessageHandler {
    let archiver: RequestArchiver

    /// The files are written to the targets before the transaction, which only records them.
    func prepare(_ message: InboundMessage, pool: PostgresPool) async throws -> (any Sendable)? {
        // `handle` refuses what is not to be archived, with its reason.
        guard archiver.settings.mode != .printOfficer, message.envelope.type == DocumentDelivered.eventType,
            let delivered = try? message.envelope.decode(DocumentDelivered.self)
        else { return nil }
        do {
            let request = try await pool.withTransaction { try await RequestStore.load(number: delivered.requestNumber, in: $0) }
            return try await archiver.copy(request.id, pool: pool)
        } catch RequestStoreError.notFound {
            return nil
        }
    }

    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        guard message.envelope.type == DocumentDelivered.eventType else {
            throw MessageRejected("kk-archive does not handle events of type \(message.envelope.type)")
        }
        let delivered = try message.envelope.decode(DocumentDelivered.self)
        let request: RequestRecord
        do {
            request = try await RequestStore.load(number: delivered.requestNumber, in: tx)
        } catch RequestStoreError.notFound {
            throw MessageRejected("delivered request \(delivered.requestNumber) is not on record")
        }
        if archiver.settings.mode == .printOfficer {
            guard request.state == .delivered else { return [] }
            try await OfficerQueue.archive.add(request.id, in: tx)
            return []
        }
        // Without copies from `prepare` (none is expected) the request waits for the retrier, which copies.
        return try await archiver.archive(
            request.id, documentID: delivered.documentId, copied: message.prepared as? RequestArchiver.Copies ?? .init(), in: tx)
    }
}

/// Retries the requests in `archive_pending` when they are due: each one's files are
/// copied with no transaction open, then recorded in a short one.
struct ArchiveRetrier: Service {
    let pool: PostgresPool
    let archiver: RequestArchiver
    let interval: Duration

    func run() async throws {
        await Periodic.run(every: interval, logger: archiver.logger, level: .error, failure: "archive retry failed; trying again") {
            // Another replica may retry the same request meanwhile: its copies are the same files, and
            // `archive` locks the request, so the second finds it archived.
            for pending in try await pool.withTransaction({ try await ArchiveRecords.dueRetries(limit: 10, in: $0) }) {
                let copies = try await archiver.copy(pending.requestID, pool: pool)
                // A copy the print officer asked for stays their step (SOP 10 as written).
                let actor = pending.requestedBy.map { Actor(role: .printOfficer, id: $0) } ?? RequestArchiver.system
                try await pool.withTransaction { tx in
                    let messages = try await archiver.archive(pending.requestID, documentID: pending.documentID, by: actor, copied: copies, in: tx)
                    try await Outbox.enqueue(messages, source: RequestArchiver.name, in: tx)
                }
            }
        }
    }
}
