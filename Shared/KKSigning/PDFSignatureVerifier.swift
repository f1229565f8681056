import Foundation
@_spi(CMS) import X509

/// What `kk-sign verify` reports about a signed PDF.
public struct PDFSignatureReport: Sendable {
    /// The signed bytes match the signature (nothing changed inside the range).
    public let intact: Bool
    /// The range covers the whole file (nothing appended after signing).
    public let coversWholeFile: Bool
    /// The signer's certificate chains to one of the trusted roots.
    public let trusted: Bool
    public let signerName: String?
    public let signerNIP: String?
    /// SHA-256 of the signer's certificate (DER), hex; nil when the signature could not be read.
    public var signerFingerprint: String? = nil
    /// The signing time the signature dictionary records ("D:..." as written).
    public let signingTime: String?
    public let problem: String?
}

public enum PDFSignatureVerifier {
    public static func verify(_ pdf: [UInt8], trustRoots: [Certificate]) async throws -> PDFSignatureReport {
        let field = try PDFSignatureField.read(pdf)
        let tail = String(decoding: pdf[field.byteRange[1]...].prefix(field.byteRange[2] - field.byteRange[1] + 600), as: UTF8.self)
        let time = tail.firstMatch(of: /\/M\s*\((D:[^)]*)\)/).map { String($0.1) }
        let result = await CMS.isValidSignature(
            dataBytes: field.signedBytes, signatureBytes: field.cms, trustRoots: CertificateStore(trustRoots)
        ) {
            RFC5280Policy(validationTime: Date())
        }
        switch result {
        case let .success(valid):
            return PDFSignatureReport(
                intact: true, coversWholeFile: field.coversWholeFile, trusted: true,
                signerName: SigningIdentity.attribute(.RDNAttributeType.commonName, of: valid.signer),
                signerNIP: SigningIdentity.attribute(SigningIdentity.serialNumberOID, of: valid.signer),
                signerFingerprint: SigningIdentity.fingerprint(of: valid.signer), signingTime: time, problem: nil)
        case let .failure(.unableToValidateSigner(failure)):
            return PDFSignatureReport(
                intact: true, coversWholeFile: field.coversWholeFile, trusted: false,
                signerName: SigningIdentity.attribute(.RDNAttributeType.commonName, of: failure.signer),
                signerNIP: SigningIdentity.attribute(SigningIdentity.serialNumberOID, of: failure.signer),
                signerFingerprint: SigningIdentity.fingerprint(of: failure.signer), signingTime: time,
                problem: "sertifikat penanda tangan tidak terpercaya: \(failure.policyFailures.map { "\($0.policyFailureReason)" }.joined(separator: "; "))")
        case let .failure(.invalidCMSBlock(block)):
            return PDFSignatureReport(
                intact: false, coversWholeFile: field.coversWholeFile, trusted: false, signerName: nil, signerNIP: nil, signingTime: time,
                problem: block.reason.hasPrefix("Message digest mismatch") || block.reason.hasPrefix("Invalid signature")
                    ? "isi dokumen berubah setelah ditandatangani" : block.reason)
        case let .failure(other):
            return PDFSignatureReport(
                intact: false, coversWholeFile: field.coversWholeFile, trusted: false, signerName: nil, signerNIP: nil, signingTime: time,
                problem: "\(other)")
        }
    }
}
