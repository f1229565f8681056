import Crypto
import Foundation
import Hex
import KKDomain
import Postgres

/// The draft KK of one request: the family's data with the entered changes
/// (SOP 3-4). It becomes the family's current record only when signed (SOP 7).
public struct FamilyDraft: Sendable, Equatable {
    public enum Status: String, Sendable {
        case editing, submitted, verified, rejected, signed
    }

    public let id: UUID
    public let requestID: UUID
    public let kkNumber: String
    /// The family version the changes apply to.
    public var baseVersion: Int
    public var changes: [FamilyChange]
    /// The family as the KK will print it.
    public var record: FamilyRecord
    public var status: Status
    public var preparedBy: String?
    public var verifiedBy: String?
    /// `contentSHA256` when the Kasi/Kabid approved it; signing refuses any other content.
    public var approvedSHA256: String?

    /// SHA-256 (hex) of the family record as canonical JSON (keys sorted): the content that is approved and signed.
    public var contentSHA256: String {
        get throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return SHA256.hash(data: try encoder.encode(record)).hexEncoded
        }
    }

    /// Whether the content is still exactly what the Kasi/Kabid approved.
    public var isAsApproved: Bool { (try? contentSHA256).map { $0 == approvedSHA256 } ?? false }

    /// The request's draft, if data entry has started one.
    public static func load(requestID: UUID, forUpdate: Bool = false, in tx: PostgresTransaction) async throws -> FamilyDraft? {
        let lock: PostgresQuery = forUpdate ? "FOR UPDATE" : ""
        let rows = try await tx.query(
            """
            SELECT id, request_id, kk_number, base_version, changes::text AS changes, record::text AS record, status, prepared_by, verified_by,
                approved_sha256
            FROM family_drafts WHERE request_id = \(requestID) \(unescaped: lock.sql)
            """
        ).rows
        return try rows.first.map(Self.init(row:))
    }

    /// The request's draft, or the officer-facing refusal that it has none yet.
    public static func required(for request: RequestRecord, forUpdate: Bool = false, in tx: PostgresTransaction) async throws -> FamilyDraft {
        guard let draft = try await load(requestID: request.id, forUpdate: forUpdate, in: tx) else {
            throw FamilyRegisterError.noDraft(number: request.number)
        }
        return draft
    }

    /// Starts the request's draft from the family's current version, or moves an
    /// existing one onto it (its changes re-applied to the newest data).
    public static func start(
        requestID: UUID, kkNumber: String, today: CalendarDate, in tx: PostgresTransaction
    ) async throws -> FamilyDraft {
        let current = try await FamilyRegister.current(kkNumber, in: tx)
        if var draft = try await load(requestID: requestID, forUpdate: true, in: tx), draft.kkNumber == kkNumber {
            if draft.baseVersion != current.version || draft.status != .editing {
                draft.record = try FamilyChange.apply(draft.changes, to: current.record, today: today)
                draft.baseVersion = current.version
                draft.status = .editing
                try await draft.save(in: tx)
            }
            return draft
        }
        var record = current.record
        record.issueDate = nil
        let draft = FamilyDraft(
            id: UUID(), requestID: requestID, kkNumber: kkNumber, baseVersion: current.version, changes: [], record: record,
            status: .editing, preparedBy: nil, verifiedBy: nil)
        let changes = String(decoding: try JSONEncoder.register.encode(draft.changes), as: UTF8.self)
        let json = String(decoding: try JSONEncoder.register.encode(draft.record), as: UTF8.self)
        // A draft for another family (the officer corrected the KK number) is replaced.
        try await tx.execute("DELETE FROM family_drafts WHERE request_id = \(requestID)")
        try await tx.execute(
            """
            INSERT INTO family_drafts (id, request_id, kk_number, base_version, changes, record, status)
            VALUES (\(draft.id), \(requestID), \(kkNumber), \(current.version), \(changes)::jsonb, \(json)::jsonb, \(draft.status.rawValue))
            """)
        return draft
    }

    public func save(in tx: PostgresTransaction) async throws {
        let changes = String(decoding: try JSONEncoder.register.encode(changes), as: UTF8.self)
        let json = String(decoding: try JSONEncoder.register.encode(record), as: UTF8.self)
        try await tx.execute(
            """
            UPDATE family_drafts SET base_version = \(baseVersion), changes = \(changes)::jsonb, record = \(json)::jsonb,
                status = \(status.rawValue), prepared_by = \(preparedBy), verified_by = \(verifiedBy),
                approved_sha256 = \(status == .verified || status == .signed ? approvedSHA256 : nil), updated_at = now()
            WHERE id = \(id)
            """)
    }

    /// Adds changes entered by the officer: all are applied to the draft and the
    /// whole family checked, or nothing changes.
    public mutating func enter(_ new: [FamilyChange], today: CalendarDate, in tx: PostgresTransaction) async throws {
        let current = try await FamilyRegister.current(kkNumber, in: tx)
        guard current.version == baseVersion else {
            throw FamilyRegisterError.staleDraft(kkNumber: kkNumber, base: baseVersion, current: current.version)
        }
        let result = try FamilyChange.apply(changes + new, to: current.record, today: today)
        for member in result.members {
            if let other = try await FamilyRegister.family(of: member.nik.value, in: tx), other != kkNumber {
                throw FamilyRegisterError.nikInOtherFamily(nik: member.nik.value, name: member.fullName, kkNumber: other)
            }
        }
        changes += new
        record = result
        record.issueDate = nil
    }

    /// SOP 7: the signed draft becomes the family's current version, issued on `issueDate`.
    @discardableResult
    public mutating func promote(issueDate: CalendarDate, in tx: PostgresTransaction) async throws -> Int {
        let current = try await FamilyRegister.current(kkNumber, forUpdate: true, in: tx)
        guard current.version == baseVersion else {
            throw FamilyRegisterError.staleDraft(kkNumber: kkNumber, base: baseVersion, current: current.version)
        }
        record.issueDate = issueDate
        let version = try await FamilyRegister.append(record, source: .signed, requestID: requestID, draftID: id, in: tx)
        status = .signed
        try await save(in: tx)
        return version
    }

    /// What the draft changes compared with the family's version it started from.
    public func differences(in tx: PostgresTransaction) async throws -> [FamilyDifference] {
        let base = try await FamilyRegister.versions(of: kkNumber, in: tx).first { $0.version == baseVersion }
        guard let base else { throw FamilyRegisterError.familyNotFound(kkNumber) }
        return FamilyDifference.between(base.record, record)
    }

    init(
        id: UUID, requestID: UUID, kkNumber: String, baseVersion: Int, changes: [FamilyChange], record: FamilyRecord,
        status: Status, preparedBy: String?, verifiedBy: String?, approvedSHA256: String? = nil
    ) {
        self.id = id
        self.requestID = requestID
        self.kkNumber = kkNumber
        self.baseVersion = baseVersion
        self.changes = changes
        self.record = record
        self.status = status
        self.preparedBy = preparedBy
        self.verifiedBy = verifiedBy
        self.approvedSHA256 = approvedSHA256
    }

    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode("id", as: UUID.self), requestID: try row.decode("request_id", as: UUID.self),
            kkNumber: try row.decode("kk_number", as: String.self), baseVersion: Int(try row.decode("base_version", as: Int32.self)),
            changes: try JSONDecoder().decode([FamilyChange].self, from: Data(try row.decode("changes", as: String.self).utf8)),
            record: try JSONDecoder().decode(FamilyRecord.self, from: Data(try row.decode("record", as: String.self).utf8)),
            status: Status(rawValue: try row.decode("status", as: String.self)) ?? .editing,
            preparedBy: try row.decode("prepared_by", as: String?.self), verifiedBy: try row.decode("verified_by", as: String?.self),
            approvedSHA256: try row.decode("approved_sha256", as: String?.self))
    }
}
