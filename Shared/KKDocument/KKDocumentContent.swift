import Foundation
import KKDomain

/// Everything printed on one KK: the family as signed, and the signature block.
public struct KKDocumentContent: Sendable, Equatable {
    public let record: FamilyRecord
    /// The date printed as the issue date (the signing day).
    public let issueDate: CalendarDate
    /// The Kepala Dinas who signs: name and NIP as printed under the signature.
    public let signerName: String
    public let signerNIP: String
    /// The text the QR code carries (see `VerificationReference`).
    public let verificationReference: String
    /// The document id printed in the footer.
    public let documentID: UUID
    /// Who issued the signing certificate, as the electronic-signature statement names it.
    public let certificateIssuer: String

    public init(
        record: FamilyRecord, issueDate: CalendarDate, signerName: String, signerNIP: String, verificationReference: String,
        documentID: UUID, certificateIssuer: String
    ) {
        self.record = record
        self.issueDate = issueDate
        self.signerName = signerName
        self.signerNIP = signerNIP
        self.verificationReference = verificationReference
        self.documentID = documentID
        self.certificateIssuer = certificateIssuer
    }
}
