import Foundation
import KKDomain
import Postgres

/// The family register in PostgreSQL: versions of each family, the current
/// one, and who is in which family now. Versions are never changed.
public enum FamilyRegister {
    public enum Source: String, Sendable { case sample, `import`, signed }

    /// One version of a family.
    public struct Version: Sendable, Equatable {
        public let kkNumber: String
        public let version: Int
        public let record: FamilyRecord
        public let source: String
        public let requestID: UUID?
        public let createdAt: Date
    }

    /// The family's current version, or `FamilyRegisterError.familyNotFound`.
    public static func current(_ kkNumber: String, forUpdate: Bool = false, in tx: PostgresTransaction) async throws -> Version {
        let lock: PostgresQuery = forUpdate ? "FOR UPDATE OF f" : ""
        let rows = try await tx.query(
            """
            SELECT v.kk_number, v.version, v.record::text AS record, v.source, v.request_id, v.created_at FROM families f JOIN family_versions v ON v.kk_number = f.kk_number AND v.version = f.current_version
            WHERE f.kk_number = \(kkNumber) \(unescaped: lock.sql)
            """
        ).rows
        guard let row = rows.first else { throw FamilyRegisterError.familyNotFound(kkNumber) }
        return try version(from: row)
    }

    /// Every version of a family, oldest first.
    public static func versions(of kkNumber: String, in tx: PostgresTransaction) async throws -> [Version] {
        try await tx.query(
            """
            SELECT kk_number, version, record::text AS record, source, request_id, created_at FROM family_versions
            WHERE kk_number = \(kkNumber) ORDER BY version
            """
        ).rows.map(version(from:))
    }

    /// The family a NIK belongs to now, if any.
    public static func family(of nik: String, in tx: PostgresTransaction) async throws -> String? {
        try await tx.query("SELECT kk_number FROM family_members WHERE nik = \(nik)").rows.first?.decode("kk_number", as: String.self)
    }

    /// Records `record` as the family's next version and makes it current.
    /// Refuses a NIK that is still in another family (one NIK, one KK).
    @discardableResult
    public static func append(
        _ record: FamilyRecord, source: Source, requestID: UUID? = nil, draftID: UUID? = nil, in tx: PostgresTransaction
    ) async throws -> Int {
        let kk = record.kkNumber.value
        let existing = try await tx.query("SELECT current_version FROM families WHERE kk_number = \(kk) FOR UPDATE").rows.first
        let version = (try existing?.decode("current_version", as: Int32.self)).map { Int($0) + 1 } ?? 1
        for member in record.members {
            if let other = try await family(of: member.nik.value, in: tx), other != kk {
                throw FamilyRegisterError.nikInOtherFamily(nik: member.nik.value, name: member.fullName, kkNumber: other)
            }
        }
        let json = String(decoding: try JSONEncoder.register.encode(record), as: UTF8.self)
        try await tx.execute(
            """
            INSERT INTO family_versions (kk_number, version, record, source, request_id, draft_id)
            VALUES (\(kk), \(version), \(json)::jsonb, \(source.rawValue), \(requestID), \(draftID))
            """)
        try await tx.execute(
            """
            INSERT INTO families (kk_number, current_version, kecamatan, head_name) VALUES (\(kk), \(version), \(record.address.district), \(record.head?.fullName ?? "-"))
            ON CONFLICT (kk_number) DO UPDATE SET current_version = EXCLUDED.current_version, kecamatan = EXCLUDED.kecamatan,
                head_name = EXCLUDED.head_name, updated_at = now()
            """)
        try await tx.execute("DELETE FROM family_members WHERE kk_number = \(kk)")
        for member in record.members {
            try await tx.execute("INSERT INTO family_members (nik, kk_number) VALUES (\(member.nik.value), \(kk))")
        }
        return version
    }

    static func version(from row: PostgresRow) throws -> Version {
        Version(
            kkNumber: try row.decode("kk_number", as: String.self), version: Int(try row.decode("version", as: Int32.self)),
            record: try JSONDecoder().decode(FamilyRecord.self, from: Data(try row.decode("record", as: String.self).utf8)),
            source: try row.decode("source", as: String.self), requestID: try row.decode("request_id", as: UUID?.self),
            createdAt: try row.decode("created_at", as: Date.self))
    }
}

extension JSONEncoder {
    /// Register records: keys sorted, so equal records are equal bytes.
    static var register: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// Errors of the register, in Indonesian for the officer CLIs.
public enum FamilyRegisterError: Error, Sendable, Equatable, OfficerFacingError {
    case familyNotFound(String)
    case nikInOtherFamily(nik: String, name: String, kkNumber: String)
    /// The family got a new signed version after the draft was started.
    case staleDraft(kkNumber: String, base: Int, current: Int)
    case noDraft(number: String)

    public var description: String {
        switch self {
        case let .familyNotFound(kk):
            "KK nomor \(kk) tidak ada di register keluarga. Periksa 16 angka nomor KK pada formulir atau foto KK lama."
        case let .nikInOtherFamily(nik, name, kk):
            "NIK \(nik) (\(name)) masih terdaftar di KK \(kk); keluarkan dulu dari KK itu (pindah keluar) sebelum ditambahkan di sini."
        case let .staleDraft(kk, base, current):
            "Data KK \(kk) sudah berubah sejak draft dibuat (versi \(base), sekarang versi \(current)); ambil ulang permohonan dengan `take` agar perubahan diterapkan pada data terbaru."
        case let .noDraft(number):
            "Permohonan \(number) belum memiliki draft KK; ambil dulu dengan `kk-entry take \(number) --kk <nomor KK>`."
        }
    }
}
