import Foundation
import KKDomain
import KKRuntime
import Logging
import Postgres

/// Turns webhook messages and statuses into records and outbox messages:
/// each WhatsApp message id is taken once (Meta may deliver twice), media is
/// downloaded at once and stored with its SHA-256, and a status never moves
/// backwards (Meta may send "delivered" after "read").
struct InboundRecorder: Sendable {
    static let source = "kk-gateway"

    let pool: PostgresPool
    let graph: GraphAPIClient
    let mediaLimit: Int
    let logger: Logger

    struct Outcome: Equatable {
        var published = 0
        var duplicates = 0
        var statuses = 0
    }

    func record(_ payload: WebhookPayload) async throws -> Outcome {
        var outcome = Outcome()
        for change in payload.entry.flatMap(\.changes) {
            let names = Dictionary((change.value.contacts ?? []).map { ($0.wa_id, $0.profile?.name) }, uniquingKeysWith: { a, _ in a })
            for message in change.value.messages ?? [] {
                if try await record(message, profileName: names[message.from] ?? nil) { outcome.published += 1 } else { outcome.duplicates += 1 }
            }
            for status in change.value.statuses ?? [] {
                if try await record(status) { outcome.statuses += 1 }
            }
        }
        return outcome
    }

    /// Returns false for a message already taken.
    private func record(_ message: WebhookPayload.Message, profileName: String?) async throws -> Bool {
        let seen = try await pool.query("SELECT 1 AS seen FROM wa_inbound WHERE wa_message_id = \(message.id)")
        if !seen.rows.isEmpty { return false }

        let applicantRef = RequestStore.applicantRef(for: message.from)
        var kind: WhatsAppInbound.Kind
        var media: (id: UUID, downloaded: DownloadedMedia, source: WebhookPayload.Media)?
        switch message.type {
        case "text": kind = .text
        case "image", "document":
            kind = message.type == "image" ? .image : .document
            guard let item = message.image ?? message.document else { kind = .unsupported; break }
            do {
                let downloaded = try await graph.downloadMedia(id: item.id, declaredSHA256: item.sha256, limit: mediaLimit)
                media = (UUID(), downloaded, item)
            } catch GraphAPIError.tooLarge(let size, let limit) {
                logger.notice("media over the limit not stored", metadata: ["size": "\(size.map(String.init) ?? "over")", "limit": "\(limit)", "wa-message-id": "\(message.id)"])
                kind = .mediaTooLarge
            }
        default: kind = .unsupported
        }

        let event = WhatsAppInbound(
            whatsappMessageId: message.id, applicantRef: applicantRef, kind: kind, text: message.text?.body,
            caption: media?.source.caption, mediaId: media?.id, mediaSha256: media?.downloaded.sha256,
            contentType: media?.downloaded.contentType, fileName: media?.source.filename, sentAt: message.sentAt,
            limitBytes: kind == .mediaTooLarge ? mediaLimit : nil)
        let envelope = EventEnvelope(payload: event, requestId: nil, actor: Actor(role: .applicant, id: applicantRef))
        return try await pool.withTransaction { tx in
            let inserted = try await tx.execute(
                "INSERT INTO wa_inbound (wa_message_id, applicant_ref, kind) VALUES (\(message.id), \(applicantRef), \(kind.rawValue)) ON CONFLICT DO NOTHING")
            guard inserted == 1 else { return false }
            try await tx.execute(
                """
                INSERT INTO wa_contacts (applicant_ref, phone, profile_name, last_inbound_at)
                VALUES (\(applicantRef), \(message.from), \(profileName), \(message.sentAt))
                ON CONFLICT (applicant_ref) DO UPDATE SET profile_name = coalesce(EXCLUDED.profile_name, wa_contacts.profile_name),
                    last_inbound_at = greatest(wa_contacts.last_inbound_at, EXCLUDED.last_inbound_at)
                """)
            if let media {
                try await tx.execute(
                    """
                    INSERT INTO media (id, sha256, content_type, size_bytes, bytes, file_name, source, wa_media_id)
                    VALUES (\(media.id), \(media.downloaded.sha256), \(media.downloaded.contentType), \(media.downloaded.bytes.count),
                            \(media.downloaded.bytes), \(media.source.filename), 'whatsapp', \(media.source.id))
                    ON CONFLICT (wa_media_id) DO NOTHING
                    """)
            }
            try await Outbox.enqueue([OutgoingMessage(topic: .waInbound, envelope: envelope, key: applicantRef)], source: Self.source, in: tx)
            return true
        }
    }

    /// Returns true when the status moved forward (and was published).
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
                INSERT INTO wa_message_status (wa_message_id, applicant_ref, status, rank, updated_at)
                VALUES (\(status.id), \(applicantRef), \(parsed.rawValue), \(parsed.rank), \(at))
                ON CONFLICT (wa_message_id) DO UPDATE SET status = EXCLUDED.status, rank = EXCLUDED.rank, updated_at = EXCLUDED.updated_at
                WHERE wa_message_status.rank < EXCLUDED.rank
                """)
            guard moved == 1 else { return false }
            try await Outbox.enqueue([OutgoingMessage(topic: .waStatus, envelope: envelope, key: applicantRef)], source: Self.source, in: tx)
            return true
        }
    }
}
