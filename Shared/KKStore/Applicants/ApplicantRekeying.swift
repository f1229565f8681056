import Crypto
import Foundation
import KKConfiguration
import Postgres

/// Moves every known applicant to the id of the current pseudonym key: after
/// the key is set on a database whose ids were made another way (an earlier
/// version, or a key replaced because it leaked), an applicant's new id would
/// not find their contact, conversation or requests, and the gateway would
/// refuse their messages (their number is already on record under the old id).
///
/// The numbers are on record (`wa_contacts.phone`, `requests.applicant_phone`),
/// so each id is computed again and changed in every table that is not a
/// record of the past: the event log, the audit and the messages already on
/// Kafka keep the id they were written with. Run it with the gateway and
/// kk-intake stopped; a second run changes nothing.
public enum ApplicantRekeying {
    /// The tables that hold an applicant id to follow the key.
    static let tables = [
        "wa_contacts", "wa_inbound", "wa_outbound", "wa_message_status", "intake_conversations", "intake_requests", "requests", "media",
        "applicant_consents",
    ]

    /// Changes every id that differs from `key`'s; returns how many applicants moved.
    public static func rekey(to key: SymmetricKey, in tx: PostgresTransaction) async throws -> Int {
        let rows = try await tx.query(
            """
            SELECT applicant_ref, phone FROM wa_contacts
            UNION SELECT applicant_ref, applicant_phone AS phone FROM requests
            """
        ).rows
        var moved: [String: String] = [:]
        for row in rows {
            let old = try row.decode("applicant_ref", as: String.self)
            let new = ApplicantPseudonym.ref(for: try row.decode("phone", as: String.self), key: key)
            if old != new { moved[old] = new }
        }
        for (old, new) in moved.sorted(by: { $0.key < $1.key }) {
            for table in tables {
                try await tx.execute("UPDATE \(unescaped: table) SET applicant_ref = \(new) WHERE applicant_ref = \(old)")
            }
        }
        return moved.count
    }

    /// Refuses to start kk-gateway or kk-intake with a key other than the one the
    /// applicants on record were given their ids with (a new key set without
    /// `rekey-applicants`): every message from a returning applicant would be refused
    /// and their requests not found. One contact tells: a rekey moves them all at once.
    public static func requireCurrentKey(_ key: SymmetricKey, pool: PostgresPool) async throws {
        guard let row = try await pool.query("SELECT applicant_ref, phone FROM wa_contacts LIMIT 1").rows.first else { return }
        let recorded = try row.decode("applicant_ref", as: String.self)
        guard recorded == ApplicantPseudonym.ref(for: try row.decode("phone", as: String.self), key: key) else { throw PseudonymKeyChanged() }
    }
}

/// The pseudonym key in `KK_PSEUDONYM_KEY_FILE` is not the one the applicants on record were given their ids with.
public struct PseudonymKeyChanged: Error, CustomStringConvertible {
    public var description: String {
        "KK_PSEUDONYM_KEY_FILE holds a key other than the one the applicants on record were given their ids with. "
            + "Either point it back at the earlier key, or stop kk-gateway and kk-intake, run `kk-admin rekey-applicants` "
            + "with this key and the database owner's KK_DATABASE_URL, and start them again with this key."
    }
}
