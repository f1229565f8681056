import Foundation
import Postgres

/// An applicant's WhatsApp number as the gateway last heard from it.
public struct WhatsAppContact: Sendable, Equatable {
    public let phone: String
    /// When the applicant last wrote: WhatsApp's 24-hour customer-service window runs from it.
    public let lastInboundAt: Date?
}

/// The owner of `wa_contacts`: kk-gateway records the number behind each applicant's
/// pseudonym with every message; the gateway, kk-intake and the officers' replies read it.
public enum WhatsAppContacts {
    /// Records that `applicantRef` wrote from `phone` at `sentAt` (the newest time and the
    /// latest profile name win; a message that arrives late does not move the window back).
    public static func record(applicantRef: String, phone: String, profileName: String?, sentAt: Date, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            INSERT INTO wa_contacts (applicant_ref, phone, profile_name, last_inbound_at)
            VALUES (\(applicantRef), \(phone), \(profileName), \(sentAt))
            ON CONFLICT (applicant_ref) DO UPDATE SET profile_name = coalesce(EXCLUDED.profile_name, wa_contacts.profile_name),
                last_inbound_at = greatest(wa_contacts.last_inbound_at, EXCLUDED.last_inbound_at)
            """)
    }

    /// The applicant's contact, in a transaction or in one short read of its own.
    public static func find(_ applicantRef: String, on database: some PostgresQueryable) async throws -> WhatsAppContact? {
        try await database.query("SELECT phone, last_inbound_at FROM wa_contacts WHERE applicant_ref = \(applicantRef)").rows.first.map(contact)
    }

    private static func contact(_ row: PostgresRow) throws -> WhatsAppContact {
        WhatsAppContact(phone: try row.decode("phone", as: String.self), lastInboundAt: try row.decode("last_inbound_at", as: Date?.self))
    }
}
