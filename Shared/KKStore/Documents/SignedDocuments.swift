import Foundation
import KKDomain
import Postgres

/// A signed KK on record: the request and family version it was signed for, and its PDF in `media`.
public struct SignedDocument: Sendable, Equatable {
    public let id: UUID
    public let requestID: UUID
    public let kkNumber: String
    public let familyVersion: Int
    public let mediaID: UUID
    public let signedAt: Date
    public let revokedAt: Date?
}

/// The PDF of a signed KK: its bytes (nil once the retention schedule removed them from
/// the database; the archive keeps a copy) and the file name it was stored under.
public struct SignedPDF: Sendable, Equatable {
    public let bytes: [UInt8]?
    public let fileName: String?
}

/// The owner of `kk_documents`, the signed KKs: kk-sign records them, kk-deliver sends the
/// newest, kk-archive keeps every one, and only the Kepala Dinas revokes one.
public enum SignedDocuments {
    /// The newest signed KK of a request, if it has one.
    public static func latest(of requestID: UUID, in tx: PostgresTransaction) async throws -> SignedDocument? {
        try await tx.query(
            """
            SELECT id, request_id, kk_number, family_version, media_id, signed_at, revoked_at FROM kk_documents
            WHERE request_id = \(requestID) ORDER BY signed_at DESC LIMIT 1
            """
        ).rows.first.map(document)
    }

    /// The PDF of the newest signed KK of a request, if it has one.
    public static func latestPDF(of requestID: UUID, in tx: PostgresTransaction) async throws -> SignedPDF? {
        try await tx.query(
            .binaryResults(
                """
                SELECT m.bytes, m.file_name FROM kk_documents d JOIN media m ON m.id = d.media_id
                WHERE d.request_id = \(requestID) ORDER BY d.signed_at DESC LIMIT 1
                """)
        ).rows.first.map(pdf)
    }

    /// The PDFs of every signed KK of a request, the oldest first (a later one of the same
    /// name replaces it where they are written out).
    public static func allPDFs(of requestID: UUID, in tx: PostgresTransaction) async throws -> [SignedPDF] {
        try await tx.query(
            .binaryResults(
                """
                SELECT m.bytes, m.file_name FROM kk_documents d JOIN media m ON m.id = d.media_id
                WHERE d.request_id = \(requestID) ORDER BY d.signed_at
                """)
        ).rows.map(pdf)
    }

    /// The signed KK `id` locked until the transaction ends, with its request's number (for a revocation).
    public static func lock(_ id: UUID, in tx: PostgresTransaction) async throws -> (document: SignedDocument, requestNumber: String)? {
        let rows = try await tx.query(
            """
            SELECT d.id, d.request_id, d.kk_number, d.family_version, d.media_id, d.signed_at, d.revoked_at, r.number
            FROM kk_documents d JOIN requests r ON r.id = d.request_id WHERE d.id = \(id) FOR UPDATE OF d
            """
        ).rows
        guard let row = rows.first else { return nil }
        return (try document(row), try row.decode("number", as: String.self))
    }

    /// Revokes the signed KK `id` for `reason`, by the Kepala Dinas `username`; the public
    /// verification page and `kk-sign verify` say so from then on.
    public static func revoke(_ id: UUID, by username: String, reason: String, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            "UPDATE kk_documents SET revoked_at = now(), revoked_by = \(username), revocation_reason = \(reason) WHERE id = \(id)")
    }

    /// What kk-sign records of a KK it has just issued.
    public struct Issued: Sendable {
        public let id: UUID
        public let requestID: UUID
        public let draftID: UUID
        public let kkNumber: String
        public let familyVersion: Int
        public let mediaID: UUID
        /// SHA-256 of the signed PDF, and of the signed family record (the QR code's reference).
        public let sha256: String
        public let contentSHA256: String
        public let certificateFingerprint: String
        public let signedBy: String
        public let signedAt: Date
        /// The head of the family's initials, as the public verification page shows them.
        public let headInitials: String?

        public init(
            id: UUID, requestID: UUID, draftID: UUID, kkNumber: String, familyVersion: Int, mediaID: UUID, sha256: String,
            contentSHA256: String, certificateFingerprint: String, signedBy: String, signedAt: Date, headInitials: String?
        ) {
            self.id = id
            self.requestID = requestID
            self.draftID = draftID
            self.kkNumber = kkNumber
            self.familyVersion = familyVersion
            self.mediaID = mediaID
            self.sha256 = sha256
            self.contentSHA256 = contentSHA256
            self.certificateFingerprint = certificateFingerprint
            self.signedBy = signedBy
            self.signedAt = signedAt
            self.headInitials = headInitials
        }
    }

    /// Records a signed KK.
    public static func record(_ issued: Issued, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            INSERT INTO kk_documents (id, request_id, draft_id, kk_number, family_version, media_id, sha256, content_sha256,
                certificate_fingerprint, signed_by, signed_at, head_initials)
            VALUES (\(issued.id), \(issued.requestID), \(issued.draftID), \(issued.kkNumber), \(Int32(issued.familyVersion)), \(issued.mediaID),
                \(issued.sha256), \(issued.contentSHA256), \(issued.certificateFingerprint), \(issued.signedBy), \(issued.signedAt),
                \(issued.headInitials))
            """)
    }

    private static func pdf(_ row: PostgresRow) throws -> SignedPDF {
        SignedPDF(bytes: try row.decode("bytes", as: [UInt8]?.self), fileName: try row.decode("file_name", as: String?.self))
    }

    private static func document(_ row: PostgresRow) throws -> SignedDocument {
        SignedDocument(
            id: try row.decode("id", as: UUID.self), requestID: try row.decode("request_id", as: UUID.self),
            kkNumber: try row.decode("kk_number", as: String.self), familyVersion: Int(try row.decode("family_version", as: Int32.self)),
            mediaID: try row.decode("media_id", as: UUID.self), signedAt: try row.decode("signed_at", as: Date.self),
            revokedAt: try row.decode("revoked_at", as: Date?.self))
    }
}
