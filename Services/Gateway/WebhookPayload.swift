import Foundation
import KKStore

/// The parts of the WhatsApp Business Cloud API webhook the gateway reads.
/// Unknown fields are ignored; unknown message types become `unsupported`.
struct WebhookPayload: Decodable {
    let object: String
    let entry: [Entry]

    struct Entry: Decodable {
        let changes: [Change]
    }

    struct Change: Decodable {
        let field: String?
        let value: Value
    }

    struct Value: Decodable {
        let contacts: [Contact]?
        let messages: [Message]?
        let statuses: [Status]?
    }

    struct Contact: Decodable {
        struct Profile: Decodable { let name: String? }
        let profile: Profile?
        let wa_id: String
    }

    struct Message: Decodable {
        let from: String
        let id: String
        let timestamp: String
        let type: String
        let text: Text?
        let image: Media?
        let document: Media?
    }

    struct Text: Decodable { let body: String }

    struct Media: Decodable {
        let id: String
        let mime_type: String?
        let sha256: String?
        let caption: String?
        let filename: String?
    }

    struct Status: Decodable {
        struct Failure: Decodable {
            let code: Int?
            let title: String?
        }

        let id: String
        let status: String
        let timestamp: String
        let recipient_id: String
        let errors: [Failure]?
        /// What we sent with the message: our message id (`SendLedger`).
        let biz_opaque_callback_data: String?
    }
}

extension WebhookPayload.Message {
    var sentAt: Date { WebhookPayload.time(timestamp) }
}

extension WebhookPayload {
    /// Meta's `timestamp`: whole Unix seconds as a string. Anything else (a
    /// fraction, an exponent, a time before 2000 or after 2100) is not Meta's
    /// and is replaced by the time of arrival, never trusted as a date.
    static func time(_ text: String, now: Date = Date()) -> Date {
        guard let seconds = Int64(text), (946_684_800...4_102_444_800).contains(seconds) else { return now }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}

extension WebhookPayload {
    /// What no webhook from Meta carries: an identifier longer than 256
    /// characters, a phone number that is not 5 to 20 digits, a NUL in any text. Such a body is
    /// refused whole (400), before anything is stored.
    var implausibleIdentifier: String? {
        func phone(_ text: String) -> Bool { (5...20).contains(text.count) && text.allSatisfy { $0.isASCII && $0.isNumber } }
        for change in entry.flatMap(\.changes) {
            // No text WhatsApp carries holds a NUL, and PostgreSQL text cannot store one.
            let texts =
                (change.value.messages ?? []).flatMap { m in
                    [
                        m.id, m.text?.body, m.image?.id, m.image?.caption, m.document?.id, m.document?.caption, m.document?.filename, m.image?.mime_type,
                        m.document?.mime_type, m.type,
                    ].compactMap { $0 }
                } + (change.value.contacts ?? []).compactMap(\.profile?.name)
                + (change.value.statuses ?? []).flatMap { [$0.id, $0.biz_opaque_callback_data].compactMap { $0 } }
            if texts.contains(where: { $0.unicodeScalars.contains("\u{0}") }) { return "a text field contains a NUL character" }
            for contact in change.value.contacts ?? [] where !phone(contact.wa_id) { return "contact wa_id is not a phone number" }
            for message in change.value.messages ?? [] {
                if !phone(message.from) { return "message sender is not a phone number" }
                let ids = [message.id, message.image?.id, message.document?.id].compactMap { $0 }
                if ids.contains(where: { $0.isEmpty || $0.count > 256 }) { return "message or media id is empty or over 256 characters" }
            }
            for status in change.value.statuses ?? [] {
                if !phone(status.recipient_id) { return "status recipient is not a phone number" }
                if status.id.isEmpty || status.id.count > 256 { return "status id is empty or over 256 characters" }
                if (status.biz_opaque_callback_data?.count ?? 0) > 512 { return "status callback data is over 512 characters" }
            }
        }
        return nil
    }

    /// The applicant the body is about (pseudonymous): the sender of its first message, else
    /// the recipient of its first status. One applicant's bodies are recorded in the order they came.
    var senderRef: String? {
        let changes = entry.flatMap(\.changes)
        let phone = changes.lazy.compactMap { $0.value.messages?.first?.from }.first ?? changes.lazy.compactMap { $0.value.statuses?.first?.recipient_id }.first
        return phone.map(RequestStore.applicantRef(for:))
    }
}
