import Foundation
import KKDomain
import Postgres

/// A file to send to an applicant, with whose request it belongs to (the gateway
/// sends a document only to the applicant of its request).
public struct OutgoingFile: Sendable {
    public let bytes: [UInt8]
    public let contentType: String
    public let requestID: UUID?
    /// The applicant of `requestID`.
    public let applicantRef: String?
}

/// The owner of `media`, the files themselves: kk-gateway stores what applicants
/// send (and purges what no request took), kk-intake attaches them to requests,
/// kk-sign stores the signed KK, and the gateway, kk-archive and the officers'
/// downloads read the bytes. A request's list of documents is `RequestDocument`.
public enum MediaFiles {
    /// Stores a photo or file an applicant sent, once per WhatsApp media id (a
    /// webhook delivered twice stores nothing the second time).
    public static func storeSent(
        id: UUID, whatsappMediaID: String, applicantRef: String, contentType: String, bytes: [UInt8], sha256: String, fileName: String?,
        in tx: PostgresTransaction
    ) async throws {
        try await tx.execute(
            """
            INSERT INTO media (id, sha256, content_type, size_bytes, bytes, file_name, source, wa_media_id, applicant_ref)
            VALUES (\(id), \(sha256), \(contentType), \(bytes.count), \(bytes), \(fileName), 'whatsapp', \(whatsappMediaID), \(applicantRef))
            ON CONFLICT (wa_media_id) DO NOTHING
            """)
    }

    /// Stores the signed KK's PDF for its request.
    public static func storeSignedKK(id: UUID, requestID: UUID, bytes: [UInt8], sha256: String, fileName: String, in tx: PostgresTransaction)
        async throws
    {
        try await tx.execute(
            """
            INSERT INTO media (id, sha256, content_type, size_bytes, bytes, file_name, source, request_id)
            VALUES (\(id), \(sha256), 'application/pdf', \(bytes.count), \(bytes), \(fileName), 'kk-sign', \(requestID))
            """)
    }

    /// The bytes an applicant's files took in the last day (their daily allowance).
    public static func bytesStoredInLastDay(by applicantRef: String, on pool: PostgresPool) async throws -> Int64 {
        try await pool.query(
            """
            SELECT coalesce(sum(size_bytes), 0)::bigint AS used FROM media
            WHERE applicant_ref = \(applicantRef) AND created_at > now() - interval '1 day'
            """
        ).rows[0].decode("used", as: Int64.self)
    }

    /// Attaches a file no request has taken yet to `requestID` as page `page` of a
    /// document of `kind`; false when it is not stored or already another request's.
    public static func attach(_ id: UUID, to requestID: UUID, as kind: DocumentKind, page: Int, in tx: PostgresTransaction) async throws -> Bool {
        try await tx.execute(
            """
            UPDATE media SET request_id = \(requestID), document_kind = \(kind.rawValue), page = \(page)
            WHERE id = \(id) AND request_id IS NULL
            """) == 1
    }

    /// The bytes of each of `ids`, in one query; a file purged (the archive keeps its copy)
    /// or not stored is left out.
    public static func bytes(of ids: [UUID], in tx: PostgresTransaction) async throws -> [UUID: [UInt8]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await tx.query(
            .binaryResults(
                "SELECT id, bytes FROM media WHERE id = ANY(\(PostgresTextArray(ids.map(\.uuidString)))::uuid[]) AND bytes IS NOT NULL")
        ).rows
        return Dictionary(try rows.map { (try $0.decode("id", as: UUID.self), try $0.decode("bytes", as: [UInt8].self)) }, uniquingKeysWith: { a, _ in a })
    }

    /// A file to send, with its request's applicant; nil when it is not stored or purged.
    public static func outgoing(_ id: UUID, on pool: PostgresPool) async throws -> OutgoingFile? {
        try await pool.query(
            .binaryResults(
                """
                SELECT m.bytes, m.content_type, m.request_id, r.applicant_ref FROM media m LEFT JOIN requests r ON r.id = m.request_id
                WHERE m.id = \(id) AND m.bytes IS NOT NULL
                """)
        ).rows.first.map { row in
            OutgoingFile(
                bytes: try row.decode("bytes", as: [UInt8].self), contentType: try row.decode("content_type", as: String.self),
                requestID: try row.decode("request_id", as: UUID?.self), applicantRef: try row.decode("applicant_ref", as: String?.self))
        }
    }

    /// Deletes up to `limit` files applicants sent that no request took within `hours`; returns how many.
    public static func purgeUnattached(olderThanHours hours: Int, limit: Int, on pool: PostgresPool) async throws -> Int {
        try await pool.execute(
            """
            DELETE FROM media WHERE id IN (
                SELECT id FROM media WHERE source = 'whatsapp' AND request_id IS NULL AND created_at < now() - make_interval(hours => \(hours)::int)
                LIMIT \(limit))
            """)
    }
}
