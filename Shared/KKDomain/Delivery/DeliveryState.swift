/// Where the delivery of a signed KK over WhatsApp stands (SOP 8-9), as
/// `deliveries.state` holds it; next to the request's own state machine.
///
/// A delivery starts `sending` (an attempt handed to the gateway) and ends
/// `delivered` when WhatsApp reports the PDF delivered or read on any attempt.
/// On the way: WhatsApp reports the attempt failed (`retrying`, sent again), the
/// gateway stopped mid-send and WhatsApp may have it (`inDoubt`), or every
/// attempt went unconfirmed (`needsOfficer`); the last two are the print
/// officer's, who asks the applicant before `kk-deliver resend`.
public enum DeliveryState: String, Sendable, CaseIterable, Codable {
    case sending
    case retrying
    case needsOfficer = "needs_officer"
    case inDoubt = "in_doubt"
    case delivered

    /// Checked when their receipt is due (`check_at`): sent again, or handed to the officer.
    public static let awaitingReceipt: [DeliveryState] = [.sending, .retrying]
    /// What a "delivered" or "read" for any attempt still confirms.
    public static let unconfirmed: [DeliveryState] = allCases.filter { $0 != .delivered }
    /// In the print officer's hands.
    public static let withOfficer: [DeliveryState] = [.needsOfficer, .inDoubt]

    /// Whether the delivery may move from this state to `next`.
    public func allows(_ next: DeliveryState) -> Bool {
        switch (self, next) {
        case (.delivered, _): false
        case (_, .delivered): true
        // A new attempt: by the scheduler, or the print officer's send or resend.
        case (_, .sending): true
        case (.sending, .retrying), (.retrying, .retrying): true
        case (.sending, .inDoubt), (.retrying, .inDoubt): true
        case (.sending, .needsOfficer), (.retrying, .needsOfficer): true
        default: false
        }
    }

    /// The print officer's word for it (`kk-deliver queue` and `status`).
    public var indonesianName: String {
        switch self {
        case .sending: "terkirim, menunggu konfirmasi"
        case .retrying: "gagal, akan dikirim ulang"
        case .needsOfficer: "GAGAL, perlu petugas"
        case .inDoubt: "MUNGKIN SUDAH TERKIRIM, perlu petugas"
        case .delivered: "diterima pemohon"
        }
    }
}
