import Foundation
import Postgres

/// Who has agreed to the privacy notice, and to which version of it. Intake
/// records the agreement; the gateway reads it before storing anything of a
/// message but the sender's contact.
public enum ApplicantConsents {
    public static func hasAgreed(_ applicantRef: String, in tx: PostgresTransaction) async throws -> Bool {
        try await !tx.query("SELECT 1 AS agreed FROM applicant_consents WHERE applicant_ref = \(applicantRef)").rows.isEmpty
    }

    public static func hasAgreed(_ applicantRef: String, in pool: PostgresPool) async throws -> Bool {
        try await !pool.query("SELECT 1 AS agreed FROM applicant_consents WHERE applicant_ref = \(applicantRef)").rows.isEmpty
    }

    /// Records the agreement to `noticeVersion` (a later agreement to a newer notice replaces it).
    public static func agree(_ applicantRef: String, noticeVersion: Int, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            INSERT INTO applicant_consents (applicant_ref, notice_version) VALUES (\(applicantRef), \(noticeVersion))
            ON CONFLICT (applicant_ref) DO UPDATE SET notice_version = EXCLUDED.notice_version, agreed_at = now()
            """)
    }
}
