import Foundation
import KKDomain
import KKMessaging
import KKStore
import Logging
import Postgres

/// Turns webhook messages and statuses into records and outbox messages
/// (for `WebhookInboxWorker`, outside the webhook request): each WhatsApp
/// message id is taken once (Meta may deliver twice), media is downloaded and stored with its SHA-256 and the type its bytes show
/// (JPEG, PNG or PDF; anything else is not stored and the applicant is told
/// what to send), one number's messages per minute and stored bytes per day
/// are limited, and a status never moves backwards (Meta may send "delivered"
/// after "read").
struct InboundRecorder: Sendable {
    static let source = "kk-gateway"

    /// What one number may send: `KK_WA_MESSAGES_PER_MINUTE`, `KK_WA_BYTES_PER_DAY`.
    struct Limits: Sendable {
        let messagesPerMinute: Int
        let bytesPerDay: Int
    }

    let pool: PostgresPool
    let graph: any WhatsAppCloudAPI
    let mediaLimit: Int
    let limits: Limits
    /// Downloads at once (`KK_WA_DOWNLOADS`).
    let slots: DownloadSlots
    let logger: Logger

    /// The recorder the gateway's settings describe (`KK_WA_*`).
    init(configuration: GatewayConfiguration, pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.graph = configuration.graphClient
        self.mediaLimit = configuration.mediaLimitBytes
        self.limits = Limits(messagesPerMinute: configuration.messagesPerMinute, bytesPerDay: configuration.bytesPerDay)
        self.slots = DownloadSlots(count: configuration.downloads)
        self.logger = logger
    }

    struct Outcome: Equatable {
        var published = 0
        var duplicates = 0
        var statuses = 0
    }

    /// Something in a body that could not be recorded yet (the database or the Graph API
    /// away): the others were recorded; Meta sends the body again and they are duplicates then.
    struct ItemsNotRecorded: Error, CustomStringConvertible {
        let failures: [String]
        var description: String { "\(failures.count) item(s) not recorded yet: \(failures.joined(separator: "; "))" }
    }

    /// Records every message and status of the body, each on its own: one that fails
    /// does not stop the others. Throws `ItemsNotRecorded` when any failed for a
    /// reason worth retrying, after the rest are recorded. On the `lastAttempt`, a
    /// photo or file WhatsApp still does not give is taken as unavailable (the
    /// applicant is asked to send it again) instead.
    func record(_ payload: WebhookPayload, lastAttempt: Bool = false) async throws -> Outcome {
        var outcome = Outcome()
        var failures: [String] = []
        for change in payload.entry.flatMap(\.changes) {
            let names = Dictionary((change.value.contacts ?? []).map { ($0.wa_id, $0.profile?.name) }, uniquingKeysWith: { a, _ in a })
            for message in change.value.messages ?? [] {
                do {
                    if try await record(message, profileName: names[message.from] ?? nil, lastAttempt: lastAttempt) {
                        outcome.published += 1
                    } else {
                        outcome.duplicates += 1
                    }
                } catch {
                    failures.append("message \(message.id): \(error)")
                }
            }
            for status in change.value.statuses ?? [] {
                do {
                    if try await record(status) { outcome.statuses += 1 }
                } catch {
                    failures.append("status \(status.id): \(error)")
                }
            }
        }
        if !failures.isEmpty { throw ItemsNotRecorded(failures: failures) }
        return outcome
    }

    /// A downloaded file, ready to store.
    typealias StoredMedia = (id: UUID, downloaded: DownloadedMedia, source: WebhookPayload.Media)

    /// Returns false for a message already taken.
    private func record(_ message: WebhookPayload.Message, profileName: String?, lastAttempt: Bool) async throws -> Bool {
        let applicantRef = RequestStore.applicantRef(for: message.from)
        // Whether the message is taken already, and how many the number sent in the last minute: one round trip.
        let known = try await pool.query(
            """
            SELECT EXISTS (SELECT 1 FROM wa_inbound WHERE wa_message_id = \(message.id)) AS seen,
                (SELECT count(*) FROM wa_inbound WHERE applicant_ref = \(applicantRef) AND received_at > now() - interval '1 minute')::bigint AS recent
            """
        ).rows[0]
        if try known.decode("seen", as: Bool.self) { return false }
        let recent = try known.decode("recent", as: Int64.self)

        var kind: WhatsAppInbound.Kind
        var media: StoredMedia?
        var publish = true
        var agreed = true
        if recent >= limits.messagesPerMinute {
            // Recorded (Meta's redelivery stays a duplicate), not downloaded; only the first one over the limit is answered.
            kind = .rateLimited
            publish = recent == limits.messagesPerMinute
            logger.notice(
                "message over the per-minute limit not processed", metadata: ["limit": "\(limits.messagesPerMinute)", "wa-message-id": "\(message.id)"])
        } else if !(try await ApplicantConsents.hasAgreed(applicantRef, in: pool)) {
            // Before the applicant agrees to the privacy notice only the contact is stored:
            // the text goes to intake (which answers with the notice) but is not kept, no file is downloaded.
            agreed = false
            switch message.type {
            case "text": kind = .text
            case "image", "document": kind = .awaitingConsent
            default: kind = .unsupported
            }
        } else {
            switch message.type {
            case "text": kind = .text
            case "image", "document":
                if let item = message.image ?? message.document {
                    (kind, media) = try await fetch(
                        item, as: message.type == "image" ? .image : .document, for: applicantRef, messageID: message.id, lastAttempt: lastAttempt)
                } else {
                    kind = .unsupported
                }
            default: kind = .unsupported
            }
        }

        // Before the agreement the text goes on only when it answers the notice ("setuju", "tidak"):
        // anything else (a NIK typed first) would otherwise rest in the outbox and on Kafka.
        let text = agreed || message.text.map({ ConsentAnswer.read($0.body) != nil }) == true ? message.text?.body : nil
        let event = WhatsAppInbound(
            whatsappMessageId: message.id, applicantRef: applicantRef, kind: kind, text: text,
            caption: media?.source.caption, mediaId: media?.id, mediaSha256: media?.downloaded.sha256,
            contentType: media?.downloaded.contentType, fileName: media?.source.filename, sentAt: message.sentAt,
            limitBytes: kind == .mediaTooLarge ? mediaLimit : nil, whatsappType: kind == .unsupported ? String(message.type.prefix(32)) : nil)
        let envelope = EventEnvelope(payload: event, requestId: nil, actor: Actor(role: .applicant, id: applicantRef))
        return try await pool.withTransaction { tx in
            let inserted = try await tx.execute(
                """
                INSERT INTO wa_inbound (wa_message_id, applicant_ref, kind, body)
                VALUES (\(message.id), \(applicantRef), \(kind.rawValue), \(agreed ? message.text?.body ?? media?.source.caption : nil)) ON CONFLICT DO NOTHING
                """)
            guard inserted == 1 else { return false }
            try await WhatsAppContacts.record(
                applicantRef: applicantRef, phone: message.from, profileName: profileName, sentAt: message.sentAt, in: tx)
            if let media {
                try await MediaFiles.storeSent(
                    id: media.id, whatsappMediaID: media.source.id, applicantRef: applicantRef, contentType: media.downloaded.contentType,
                    bytes: media.downloaded.bytes, sha256: media.downloaded.sha256, fileName: media.source.filename, in: tx)
            }
            if publish {
                try await Outbox.enqueue([OutgoingMessage(topic: .waInbound, envelope: envelope, key: applicantRef)], source: Self.source, in: tx)
            }
            return true
        }
    }

    /// Downloads a photo or file (a bounded number at once), within the number's daily
    /// allowance, and checks what its bytes are. Returns the message's kind and the file to store.
    private func fetch(_ item: WebhookPayload.Media, as kind: WhatsAppInbound.Kind, for applicantRef: String, messageID: String, lastAttempt: Bool)
        async throws
        -> (WhatsAppInbound.Kind, StoredMedia?)
    {
        let used = try await MediaFiles.bytesStoredInLastDay(by: applicantRef, on: pool)
        guard used < limits.bytesPerDay else { return (.quotaExceeded, nil) }
        let downloaded: DownloadedMedia
        do {
            downloaded = try await slots.run { [graph, mediaLimit] in
                try await graph.downloadMedia(id: item.id, declaredSHA256: item.sha256, limit: mediaLimit)
            }
        } catch GraphAPIError.tooLarge(let size, let limit) {
            logger.notice(
                "media over the limit not stored",
                metadata: ["size": "\(size.map(String.init) ?? "over")", "limit": "\(limit)", "wa-message-id": "\(messageID)"])
            return (.mediaTooLarge, nil)
        } catch {
            // Gone for good (a 4xx, bytes that do not match Meta's digest, an answer not understood),
            // or still failing on the last attempt: the applicant is asked to send the file again.
            // Anything else (429, 5xx, no answer) is tried again with the body.
            let permanent = (error as? GraphAPIError).map { !$0.isRetryable } ?? false
            guard permanent || (lastAttempt && !(error is CancellationError)) else { throw error }
            logger.notice(
                "media cannot be fetched; the applicant is asked to send it again",
                metadata: ["error": "\(error)", "wa-message-id": "\(messageID)", "last-attempt": "\(lastAttempt)"])
            return (.mediaUnavailable, nil)
        }
        guard used + Int64(downloaded.bytes.count) <= limits.bytesPerDay else {
            logger.notice("media over the daily allowance not stored", metadata: ["wa-message-id": "\(messageID)"])
            return (.quotaExceeded, nil)
        }
        // The type is what the bytes are, not what the sender's phone declared.
        guard let type = MediaContent.sniff(downloaded.bytes) else {
            logger.notice("media refused: neither JPEG, PNG nor PDF", metadata: ["declared": "\(downloaded.contentType)", "wa-message-id": "\(messageID)"])
            return (.unsupported, nil)
        }
        return (kind, (UUID(), DownloadedMedia(bytes: downloaded.bytes, sha256: downloaded.sha256, contentType: type), item))
    }

    /// Returns true when the status moved forward. Only statuses of documents
    /// (or of messages not on record) are published: kk-deliver follows the KK's
    /// delivery, and nothing follows a text's.
    private func record(_ status: WebhookPayload.Status) async throws -> Bool {
        guard let parsed = WhatsAppStatus.Status(rawValue: status.status) else {
            logger.notice("unknown WhatsApp status ignored", metadata: ["status": "\(status.status)"])
            return false
        }
        let applicantRef = RequestStore.applicantRef(for: status.recipient_id)
        let at = WebhookPayload.time(status.timestamp)
        let error = status.errors?.compactMap { e in e.title.map { "\(e.code.map(String.init) ?? "?"): \($0)" } }.joined(separator: "; ")
        let event = WhatsAppStatus(whatsappMessageId: status.id, applicantRef: applicantRef, status: parsed, at: at, error: error)
        let envelope = EventEnvelope(payload: event, requestId: nil, actor: Actor(role: .system, id: Self.source))
        return try await pool.withTransaction { tx in
            let moved = try await tx.execute(
                """
                INSERT INTO wa_message_status (wa_message_id, applicant_ref, status, rank, updated_at, message_id)
                VALUES (\(status.id), \(applicantRef), \(parsed.rawValue), \(parsed.rank), \(at), \(status.biz_opaque_callback_data))
                ON CONFLICT (wa_message_id) DO UPDATE SET status = EXCLUDED.status, rank = EXCLUDED.rank, updated_at = EXCLUDED.updated_at,
                    message_id = coalesce(wa_message_status.message_id, EXCLUDED.message_id)
                WHERE wa_message_status.rank < EXCLUDED.rank
                """)
            guard moved == 1 else { return false }
            let kind = try await SendLedger.settle(byStatusFor: status.id, callbackData: status.biz_opaque_callback_data, at: at, in: tx)
            if kind != .text {
                try await Outbox.enqueue([OutgoingMessage(topic: .waStatus, envelope: envelope, key: applicantRef)], source: Self.source, in: tx)
            }
            return true
        }
    }
}
