import Foundation
import KKDomain
import Postgres

/// Where a signed KK stands today, as the public verification page and
/// `kk-sign verify` tell it: valid, replaced by a newer KK of the same family,
/// or revoked by the Kepala Dinas.
public struct IssuedDocumentStanding: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case valid
        /// A KK of the same family with a newer register version was signed on that date.
        case replaced(on: Date)
        case revoked(on: Date, reason: String)

        /// The outcome as `public_verifications` records it.
        public var outcome: String {
            switch self {
            case .valid: "sah"
            case .replaced: "diganti"
            case .revoked: "dicabut"
            }
        }
    }

    public let documentID: UUID
    public let requestNumber: String
    public let kkNumber: String
    public let familyVersion: Int
    public let signedAt: Date
    public let signedBy: String
    public let headInitials: String?
    public let state: State

    /// "3402••••••••0001": enough to match the card in hand, not enough to use.
    public var maskedKKNumber: String {
        guard kkNumber.count > 8 else { return String(repeating: "•", count: kkNumber.count) }
        return kkNumber.prefix(4) + String(repeating: "•", count: kkNumber.count - 8) + kkNumber.suffix(4)
    }

    /// The standing of the document with this id, when its content digest is
    /// also `contentSHA256` (the QR code carries both); nil when no KK was issued
    /// with that pair.
    public static func find(documentID: UUID, contentSHA256: String, on pool: PostgresPool) async throws -> IssuedDocumentStanding? {
        try standing(try await pool.query("\(unescaped: select) WHERE d.id = \(documentID) AND d.content_sha256 = \(contentSHA256)").rows.first)
    }

    /// The standing of the signed PDF with this SHA-256.
    public static func find(pdfSHA256: String, on pool: PostgresPool) async throws -> IssuedDocumentStanding? {
        try standing(try await pool.query("\(unescaped: select) WHERE d.sha256 = \(pdfSHA256)").rows.first)
    }

    private static let select = """
        SELECT d.id, r.number, d.kk_number, d.family_version, d.signed_at, d.signed_by, d.head_initials, d.revoked_at, d.revocation_reason,
            (SELECT min(n.signed_at) FROM kk_documents n WHERE n.kk_number = d.kk_number AND n.family_version > d.family_version) AS replaced_at
        FROM kk_documents d JOIN requests r ON r.id = d.request_id
        """

    private static func standing(_ row: PostgresRow?) throws -> IssuedDocumentStanding? {
        guard let row else { return nil }
        let state: State
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

    /// "S. W." for "SRI WAHYUNI": the initials of each word of a name.
    public static func initials(of name: String) -> String {
        name.split(whereSeparator: { $0 == " " || $0 == "." || $0 == "," }).compactMap(\.first).map { "\($0.uppercased())." }.joined(separator: " ")
    }
}
