import Foundation
import KKConfiguration
import KKDomain
import KKMessaging
import KKStore
import Postgres

/// One attempt at SOP 8: the signed PDF as a WhatsApp document named after
/// the KK number, then the notice. Every attempt has new message ids, so the
/// gateway sends it again; its receipts say whether it arrived.
enum DeliveryAttempt {
    struct Settings: Sendable {
        /// How long to wait for WhatsApp's "delivered" before trying again.
        let confirmAfter: TimeInterval
        /// Attempts before the request goes to the print officer.
        let attempts: Int
        /// Whether a signed KK is sent at once or waits for the print officer's `kk-deliver send`.
        let mode: StepMode

        static func from(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> Settings {
            let reader = EnvironmentReader(environment)
            return Settings(
                confirmAfter: try reader.decimal("KK_DELIVERY_CONFIRM_SECONDS", default: 600, range: 1...7 * 86_400),
                attempts: try reader.integer("KK_DELIVERY_ATTEMPTS", default: 3, range: 1...100),
                mode: StepMode(rawValue: try reader.choice("KK_DELIVERY_MODE", default: "automatic", allowed: StepMode.allCases.map(\.rawValue)))!)
        }
    }

    /// The messages of an attempt for `request`, and the id of its document message.
    static func messages(for request: RequestRecord, in tx: PostgresTransaction, today: CalendarDate = CalendarDate(Date())) async throws
        -> (documentMessage: UUID, documentID: UUID, messages: [OutgoingMessage])
    {
        guard let signedKK = try await SignedDocuments.latest(of: request.id, in: tx) else {
            throw MessageRejected("request \(request.number) has no signed KK")
        }
        let kk = signedKK.kkNumber
        // The PDF goes only to a member of the signed family whose identity was verified or confirmed
        // (requests made before the identity check have none and are sent as before).
        if let identity = try await ApplicantIdentities.load(request.id, in: tx), !identity.allowsDelivery || identity.kkNumber != kk {
            throw RecipientNotVerified(number: request.number, identity: identity, signedKK: kk)
        }
        let version = signedKK.familyVersion
        let versions = try await FamilyRegister.versions(of: kk, in: tx)
        guard let signed = versions.first(where: { $0.version == version }) else { throw FamilyRegisterError.familyNotFound(kk) }
        let previous = versions.last { $0.version < version }
        let notice = DeliveryNotice.text(
            number: request.number, kkNumber: kk, reason: request.reason,
            renewals: DeliveryNotice.renewals(before: previous?.record, after: signed.record, today: today))
        let actor = Actor(role: .system, id: DeliveryHandler.name)
        let document = EventEnvelope(
            payload: WhatsAppOutbound(
                applicantRef: request.applicantRef, kind: .document, text: "KK baru Anda, Nomor KK \(kk) (permohonan \(request.number)).",
                mediaId: signedKK.mediaID, fileName: "KK-\(kk).pdf", requestId: request.id),
            requestId: request.id, actor: actor)
        let text = EventEnvelope(payload: WhatsAppOutbound.text(notice, to: request.applicantRef, about: request.id), requestId: request.id, actor: actor)
        return (
            document.id, signedKK.id,
            [
                OutgoingMessage(topic: .waOutbound, envelope: document, key: request.applicantRef),
                OutgoingMessage(topic: .waOutbound, envelope: text, key: request.applicantRef),
            ]
        )
    }

    /// Starts the first attempt (or, with `again`, the next one) and records it;
    /// `sentBy`: the print officer who sent it (SOP 8 as written), nil for the system.
    static func start(
        _ request: RequestRecord, again: Bool, settings: Settings, sentBy: String? = nil, in tx: PostgresTransaction, now: Date = Date()
    ) async throws -> [OutgoingMessage] {
        let attempt = try await messages(for: request, in: tx)
        let checkAt = now.addingTimeInterval(settings.confirmAfter)
        if again {
            try await Deliveries.recordNextAttempt(request.id, documentMessage: attempt.documentMessage, checkAt: checkAt, in: tx)
        } else {
            try await Deliveries.recordFirstAttempt(
                request.id, documentID: attempt.documentID, documentMessage: attempt.documentMessage, checkAt: checkAt, sentBy: sentBy, in: tx)
        }
        return attempt.messages
    }
}
