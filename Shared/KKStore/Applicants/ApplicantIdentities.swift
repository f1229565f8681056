import Foundation
import KKDomain
import Postgres

/// The identity an applicant gave for a request and how it was checked
/// (`applicant_identities`): written by intake, confirmed by the service
/// officer when the register did not confirm it, read by data entry (the
/// family to enter) and delivery (the PDF goes only to a verified member).
public struct IdentityRecord: Sendable, Equatable {
    public enum Status: String, Sendable {
        case verified, mismatch, confirmed
    }

    public let requestID: UUID
    public let nik: String
    public let claimedKKNumber: String?
    public let status: Status
    public let mismatch: IdentityMismatch?
    /// The family verified by the register, or the one the officer confirmed.
    public let kkNumber: String?
    public let confirmedBy: String?
    public let confirmedNote: String?

    /// Whether the PDF may go to this applicant: verified by the register or confirmed by an officer.
    public var allowsDelivery: Bool { status != .mismatch }

    /// One line for officers: the NIK masked, the family and how it was checked.
    public var officerSummary: String {
        let nikText = "NIK ****" + nik.suffix(4)
        let claimed = claimedKKNumber.map { ", KK yang disebut ****\($0.suffix(4))" } ?? ", tanpa nomor KK"
        switch status {
        case .verified:
            return "\(nikText)\(claimed): TERVERIFIKASI anggota KK ****\(kkNumber?.suffix(4) ?? "")"
        case .mismatch:
            return "\(nikText)\(claimed): BELUM COCOK (\(mismatch?.indonesianName ?? "tidak diketahui")); periksa identitas sebelum membuka"
        case .confirmed:
            let family = kkNumber.map { " untuk KK ****\($0.suffix(4))" } ?? ""
            return "\(nikText)\(claimed): DIKONFIRMASI petugas \(confirmedBy ?? "?")\(family) (\(confirmedNote ?? ""))"
        }
    }
}

public enum ApplicantIdentities {
    public static func load(_ requestID: UUID, in tx: PostgresTransaction) async throws -> IdentityRecord? {
        try await tx.query(
            """
            SELECT request_id, nik, claimed_kk_number, status, mismatch, kk_number, confirmed_by, confirmed_note
            FROM applicant_identities WHERE request_id = \(requestID)
            """
        ).rows.first.map(record(from:))
    }

    /// Matches `identity` against the register: the family the NIK belongs to now.
    public static func check(_ identity: ApplicantIdentity, members: ApplicantMembers, today: CalendarDate, in tx: PostgresTransaction) async throws
        -> IdentityVerdict
    {
        var family: FamilyRecord?
        if let kk = try await FamilyRegister.family(of: identity.nik.value, in: tx) {
            family = try await FamilyRegister.current(kk, in: tx).record
        }
        return identity.check(againstFamilyOfNIK: family, members: members, today: today)
    }

    /// Records what the applicant gave and the register's verdict (a second answer replaces the first).
    public static func record(_ identity: ApplicantIdentity, verdict: IdentityVerdict, for requestID: UUID, in tx: PostgresTransaction) async throws {
        let (status, mismatch, kk): (IdentityRecord.Status, IdentityMismatch?, String?) =
            switch verdict {
            case let .verified(kkNumber): (.verified, nil, kkNumber)
            case let .mismatch(reason): (.mismatch, reason, nil)
            }
        try await tx.execute(
            """
            INSERT INTO applicant_identities (request_id, nik, claimed_kk_number, status, mismatch, kk_number)
            VALUES (\(requestID), \(identity.nik.value), \(identity.kkNumber?.value), \(status.rawValue), \(mismatch?.rawValue), \(kk))
            ON CONFLICT (request_id) DO UPDATE SET nik = EXCLUDED.nik, claimed_kk_number = EXCLUDED.claimed_kk_number,
                status = EXCLUDED.status, mismatch = EXCLUDED.mismatch, kk_number = EXCLUDED.kk_number, checked_at = now(),
                confirmed_by = NULL, confirmed_note = NULL
            """)
    }

    /// The service officer checked an identity the register did not confirm (SOP 2) and names the family.
    public static func confirm(_ requestID: UUID, kkNumber: String, by username: String, note: String, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            UPDATE applicant_identities SET status = 'confirmed', kk_number = \(kkNumber),
                confirmed_by = \(username), confirmed_note = \(note), checked_at = now()
            WHERE request_id = \(requestID)
            """)
    }

    static func record(from row: PostgresRow) throws -> IdentityRecord {
        IdentityRecord(
            requestID: try row.decode("request_id", as: UUID.self),
            nik: try row.decode("nik", as: String.self),
            claimedKKNumber: try row.decode("claimed_kk_number", as: String?.self),
            status: IdentityRecord.Status(rawValue: try row.decode("status", as: String.self)) ?? .mismatch,
            mismatch: try row.decode("mismatch", as: String?.self).flatMap(IdentityMismatch.init(rawValue:)),
            kkNumber: try row.decode("kk_number", as: String?.self),
            confirmedBy: try row.decode("confirmed_by", as: String?.self),
            confirmedNote: try row.decode("confirmed_note", as: String?.self))
    }
}
