import Foundation
import Postgres

/// Where a signed KK stands today (`IssuedDocumentStanding`), read for the public
/// verification page and `kk-sign verify`.
extension SignedDocuments {
    /// The standing of the document with this id, when its content digest is
    /// also `contentSHA256` (the QR code carries both); nil when no KK was issued
    /// with that pair.
    public static func standing(documentID: UUID, contentSHA256: String, on pool: PostgresPool) async throws -> IssuedDocumentStanding? {
        try decodeStanding(try await pool.query("\(unescaped: standingQuery) WHERE d.id = \(documentID) AND d.content_sha256 = \(contentSHA256)").rows.first)
    }

    /// The standing of the signed PDF with this SHA-256.
    public static func standing(pdfSHA256: String, on pool: PostgresPool) async throws -> IssuedDocumentStanding? {
        try decodeStanding(try await pool.query("\(unescaped: standingQuery) WHERE d.sha256 = \(pdfSHA256)").rows.first)
    }

    private static let standingQuery = """
        SELECT d.id, r.number, d.kk_number, d.family_version, d.signed_at, d.signed_by, d.head_initials, d.revoked_at, d.revocation_reason,
            (SELECT min(n.signed_at) FROM kk_documents n WHERE n.kk_number = d.kk_number AND n.family_version > d.family_version) AS replaced_at
        FROM kk_documents d JOIN requests r ON r.id = d.request_id
        """

    private static func decodeStanding(_ row: PostgresRow?) throws -> IssuedDocumentStanding? {
        guard let row else { return nil }
        let state: IssuedDocumentStanding.State
        if let revokedAt = try row.decode("revoked_at", as: Date?.self) {
            state = .revoked(on: revokedAt, reason: try row.decode("revocation_reason", as: String?.self) ?? "")
        } else if let replacedAt = try row.decode("replaced_at", as: Date?.self) {
            state = .replaced(on: replacedAt)
        } else {
            state = .valid
        }
        return IssuedDocumentStanding(
            documentID: try row.decode("id", as: UUID.self), requestNumber: try row.decode("number", as: String.self),
            kkNumber: try row.decode("kk_number", as: String.self), familyVersion: Int(try row.decode("family_version", as: Int32.self)),
            signedAt: try row.decode("signed_at", as: Date.self), signedBy: try row.decode("signed_by", as: String.self),
            headInitials: try row.decode("head_initials", as: String?.self), state: state)
    }
}
