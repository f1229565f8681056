import Foundation

/// A WhatsApp message from an applicant, normalised by the gateway
/// (wa.inbound). The phone number stays in PostgreSQL: the applicant is known
/// here by a pseudonymous reference, and media by id and SHA-256.
public struct WhatsAppInbound: EventPayload, Equatable {
    public static let eventType = "wa.message.received"
    public static let schemaVersion = 1

    public enum Kind: String, Codable, Sendable {
        case text, image, document
        /// Audio, video, stickers, locations...: passed on so intake can answer.
        case unsupported
        /// Media above the configured limit: not stored; the applicant was told the limit.
        case mediaTooLarge = "media_too_large"
        /// The first message over the per-minute limit of one number (those after it in the
        /// same minute are not passed on): the applicant is asked to wait a minute.
        case rateLimited = "rate_limited"
        /// A file over the number's daily storage allowance: not stored.
        case quotaExceeded = "quota_exceeded"
        /// A photo or file sent before the applicant agreed to the privacy notice: not
        /// downloaded and not stored; the applicant gets the notice and sends it again after agreeing.
        case awaitingConsent = "awaiting_consent"
        /// A photo or file WhatsApp would not give us (gone, or its bytes did not match
        /// its digest): the applicant is asked to send it again.
        case mediaUnavailable = "media_unavailable"
    }

    public let whatsappMessageId: String
    public let applicantRef: String
    public let kind: Kind
    public let text: String?
    public let caption: String?
    public let mediaId: UUID?
    public let mediaSha256: String?
    public let contentType: String?
    public let fileName: String?
    public let sentAt: Date
    /// For `mediaTooLarge`: the gateway's limit, so the applicant can be told it.
    public let limitBytes: Int?
    /// For `unsupported`: WhatsApp's message type ("audio", "sticker", "location", ...), so
    /// the applicant is told what to send instead. Absent in events written before it existed.
    public let whatsappType: String?

    public init(
        whatsappMessageId: String, applicantRef: String, kind: Kind, text: String? = nil, caption: String? = nil,
        mediaId: UUID? = nil, mediaSha256: String? = nil, contentType: String? = nil, fileName: String? = nil, sentAt: Date,
        limitBytes: Int? = nil, whatsappType: String? = nil
    ) {
        self.limitBytes = limitBytes
        self.whatsappType = whatsappType
        self.whatsappMessageId = whatsappMessageId
        self.applicantRef = applicantRef
        self.kind = kind
        self.text = text
        self.caption = caption
        self.mediaId = mediaId
        self.mediaSha256 = mediaSha256
        self.contentType = contentType
        self.fileName = fileName
        self.sentAt = sentAt
    }
}

/// A delivery receipt for a message we sent (wa.status). Never moves backwards.
public struct WhatsAppStatus: EventPayload, Equatable {
    public static let eventType = "wa.message.status"
    public static let schemaVersion = 1

    public enum Status: String, Codable, Sendable, Comparable {
        case sent, delivered, read, failed

        /// Progress order; `failed` is final.
        public var rank: Int {
            switch self {
            case .sent: 1
            case .delivered: 2
            case .read: 3
            case .failed: 4
            }
        }

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rank < rhs.rank }
    }

    public let whatsappMessageId: String
    public let applicantRef: String
    public let status: Status
    public let at: Date
    public let error: String?

    public init(whatsappMessageId: String, applicantRef: String, status: Status, at: Date, error: String? = nil) {
        self.whatsappMessageId = whatsappMessageId
        self.applicantRef = applicantRef
        self.status = status
        self.at = at
        self.error = error
    }
}

/// A document the gateway may or may not have handed to WhatsApp: it stopped
/// (killed, restarted) between the Graph API call and recording its answer, and
/// no status for it has come since. Published on wa.status; a KK is never sent
/// again blindly, so kk-deliver gives it to the print officer to check.
public struct WhatsAppSendInDoubt: EventPayload, Equatable {
    public static let eventType = "wa.message.in_doubt"
    public static let schemaVersion = 1

    /// The wa.outbound envelope id of the message.
    public let messageId: UUID
    public let applicantRef: String
    public let requestId: UUID?

    public init(messageId: UUID, applicantRef: String, requestId: UUID?) {
        self.messageId = messageId
        self.applicantRef = applicantRef
        self.requestId = requestId
    }
}

/// A message to send to an applicant (wa.outbound). The gateway looks up the
/// phone, and outside WhatsApp's 24-hour window sends it as an approved template.
public struct WhatsAppOutbound: EventPayload, Equatable {
    public static let eventType = "wa.message.send"
    public static let schemaVersion = 1
    /// WhatsApp's customer-service window: free-form text only this long after
    /// the applicant's last message, an approved template after it.
    public static let customerServiceWindow: TimeInterval = 24 * 3600

    /// Whether free-form text may go to an applicant who last wrote at `lastInbound` (never: no).
    public static func isInsideCustomerServiceWindow(lastInbound: Date?, now: Date = Date()) -> Bool {
        lastInbound.map { now.timeIntervalSince($0) < customerServiceWindow } ?? false
    }

    public enum Kind: String, Codable, Sendable {
        case text, document
    }

    public let applicantRef: String
    public let kind: Kind
    /// The text, or the document's caption.
    public let text: String
    /// For documents: the stored file (media table) and the name the applicant sees.
    public let mediaId: UUID?
    public let fileName: String?
    /// The request this message is about, if any (the delivery service follows its status).
    public let requestId: UUID?

    public init(applicantRef: String, kind: Kind, text: String, mediaId: UUID? = nil, fileName: String? = nil, requestId: UUID? = nil) {
        self.applicantRef = applicantRef
        self.kind = kind
        self.text = text
        self.mediaId = mediaId
        self.fileName = fileName
        self.requestId = requestId
    }

    /// A text message.
    public static func text(_ text: String, to applicantRef: String, about requestId: UUID? = nil) -> WhatsAppOutbound {
        WhatsAppOutbound(applicantRef: applicantRef, kind: .text, text: text, requestId: requestId)
    }
}
