import Foundation

/// What the Kepala Dinas signs (SOP 7): the unsigned KK PDF kk-sign prepared and
/// the fixed values of its signature. Signing these exactly is the only way
/// kk-sign accepts the upload.
public struct SignatureRequest: Codable, Sendable {
    public let number: String
    public let documentID: UUID
    public let unsignedPDF: Data
    public let signingTime: Date
    public let reason: String
    public let location: String
    /// The signed-in Kepala Dinas, whose NIP her certificate must carry.
    public let signerName: String
    public let signerNIP: String

    public init(
        number: String, documentID: UUID, unsignedPDF: Data, signingTime: Date, reason: String, location: String, signerName: String, signerNIP: String
    ) {
        self.number = number
        self.documentID = documentID
        self.unsignedPDF = unsignedPDF
        self.signingTime = signingTime
        self.reason = reason
        self.location = location
        self.signerName = signerName
        self.signerNIP = signerNIP
    }

    /// The PDF signed with `identity` on this machine: an incremental update carrying
    /// a detached CMS signature made at `signingTime`, to be uploaded as it is.
    public func signed(with identity: SigningIdentity) throws -> Data {
        let signed = try PDFSigner.sign(
            Array(unsignedPDF), info: PDFSignatureInfo(name: identity.signerName, reason: reason, location: location, signingTime: signingTime)
        ) { try identity.cmsSignature($0, at: signingTime) }
        return Data(signed)
    }
}
