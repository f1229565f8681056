import Foundation

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
