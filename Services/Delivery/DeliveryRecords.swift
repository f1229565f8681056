import Foundation

/// A request's delivery as `deliveries` holds it (one row per request, whatever the attempt).
struct Delivery: Sendable {
    let requestID: UUID
    let documentID: UUID
    let state: String
    let attempt: Int
    let lastError: String?
    let deliveredAt: Date?
    /// The print officer who sent it (SOP 8 as written); nil when the system did.
    let sentBy: String?
}

/// A delivery whose time to check came (`DeliveryScheduler`), with how far its current send got.
struct DueDelivery: Sendable {
    let requestID: UUID
    let attempt: Int
    let state: String
    /// WhatsApp's furthest status for the current attempt's document, if any.
    let reached: String?
    /// The gateway's send ledger state for it, if it claimed the send.
    let ledger: String?
}

/// A receipt matched to the delivery of the KK it is about.
struct ReceiptMatch: Sendable {
    let requestID: UUID
    let documentID: UUID
    let state: String
    /// Whether it is about the current attempt (an earlier attempt's "failed" changes nothing).
    let current: Bool
}

/// A delivery WhatsApp confirmed though kk-deliver missed the receipt.
struct MissedConfirmation: Sendable {
    let requestID: UUID
    let documentID: UUID
    let whatsappMessageID: String
    let at: Date
}

/// One send of a KK document, as the gateway's `document_sends` view shows it.
struct DocumentSend: Sendable {
    let ledgerState: String
    let claimedAt: Date
    let viaTemplate: Bool
    let status: String?
}

/// A signed KK the print officer's queue shows: not yet confirmed delivered, or ('ready') waiting for `kk-deliver send`.
struct PendingDelivery: Sendable {
    let number: String
    let reason: String
    /// A `DeliveryState`, or "ready".
    let state: String
    let attempt: Int
    let lastError: String?
    let takenBy: String?
}
