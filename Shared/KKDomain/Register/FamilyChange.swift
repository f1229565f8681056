/// One change the service officer enters (SOP 3): from `kk-entry enter` flags
/// or one element of a JSON file's `perubahan` list. Values stay as the
/// officer typed them until applied, so every error names the column.
public enum FamilyChange: Sendable, Equatable {
    /// Change columns of a member (marriage, occupation, education, a corrected name...).
    case updateMember(nik: String, values: [String: String])
    /// A member joins (birth, moving in).
    case addMember(reason: AdditionReason, values: [String: String])
    /// A member leaves (death, moving out).
    case removeMember(nik: String, reason: RemovalReason)
    /// Change lines of the address (moving within Bantul).
    case updateAddress(values: [String: String])

    /// Applies every change in order and checks the whole result; throws every
    /// violation and leaves nothing half-applied (the input is a value).
    public static func apply(_ changes: [FamilyChange], to record: FamilyRecord, today: CalendarDate) throws(FamilyRecordInvalid)
        -> FamilyRecord
    {
        var result = record
        for (offset, change) in changes.enumerated() {
            do {
                try change.apply(to: &result)
            } catch {
                let prefix = changes.count > 1 ? "perubahan \(offset + 1): " : ""
                throw FamilyRecordInvalid(error.violations.map { RegisterViolation(field: $0.field, subject: $0.subject, rule: prefix + $0.rule) })
            }
        }
        let violations = result.violations(today: today)
        guard violations.isEmpty else { throw FamilyRecordInvalid(violations) }
        return result
    }

    func apply(to record: inout FamilyRecord) throws(FamilyRecordInvalid) {
        switch self {
        case let .updateMember(nik, values):
            guard let index = record.members.firstIndex(where: { $0.nik.value == nik }) else { throw Self.notInFamily(nik, record) }
            guard !values.isEmpty else {
                throw FamilyRecordInvalid([RegisterViolation(field: "data", rule: "tidak ada kolom yang diubah; isi paling sedikit satu --set kolom=nilai.")])
            }
            var violations: [RegisterViolation] = []
            let subject = "anggota \(index + 1) (\(record.members[index].fullName))"
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                do { try record.members[index].set(try MemberField.named(key), to: value) } catch { violations.append(error.about(subject)) }
            }
            guard violations.isEmpty else { throw FamilyRecordInvalid(violations) }
        case let .addMember(reason, values):
            let member = try FamilyMember(values: values, defaults: reason == .birth ? Self.birthDefaults : [:])
            if let existing = record.member(member.nik.value) {
                throw FamilyRecordInvalid([
                    RegisterViolation(
                        field: MemberField.nik.rawValue, rule: "NIK \(member.nik.value) sudah terdaftar di KK ini atas nama \(existing.fullName).")
                ])
            }
            record.members.append(member)
        case let .removeMember(nik, _):
            guard let index = record.members.firstIndex(where: { $0.nik.value == nik }) else { throw Self.notInFamily(nik, record) }
            record.members.remove(at: index)
        case let .updateAddress(values):
            guard !values.isEmpty else {
                throw FamilyRecordInvalid([
                    RegisterViolation(field: "alamat", rule: "tidak ada kolom alamat yang diubah; isi paling sedikit satu --set kolom=nilai.")
                ])
            }
            var violations: [RegisterViolation] = []
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                do { record.address.set(try AddressField.named(key), to: value) } catch { violations.append(error.about("alamat")) }
            }
            guard violations.isEmpty else { throw FamilyRecordInvalid(violations) }
        }
    }

    /// What a newborn's row holds unless the officer says otherwise.
    static let birthDefaults: [MemberField: String] = [
        .education: Education.none.rawValue, .occupation: Occupation.unemployed.rawValue,
        .maritalStatus: MaritalStatus.single.rawValue, .relationship: FamilyRelationship.child.rawValue,
        .bloodType: BloodType.unknown.rawValue, .citizenship: Citizenship.indonesian.rawValue,
    ]

    static func notInFamily(_ nik: String, _ record: FamilyRecord) -> FamilyRecordInvalid {
        let list = record.members.map { "\($0.nik.value) \($0.fullName)" }.joined(separator: "; ")
        return FamilyRecordInvalid([
            RegisterViolation(field: MemberField.nik.rawValue, rule: "tidak ada anggota dengan NIK \(nik) di KK \(record.kkNumber.value). Anggotanya: \(list).")
        ])
    }

    /// One line for the request's history, in Indonesian.
    public var summary: String {
        func pairs(_ values: [String: String]) -> String {
            values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        }
        switch self {
        case let .updateMember(nik, values): return "ubah anggota \(nik): \(pairs(values))"
        case let .addMember(reason, values): return "tambah anggota (\(reason.indonesianName)): \(values["nama_lengkap"] ?? "?") NIK \(values["nik"] ?? "?")"
        case let .removeMember(nik, reason): return "hapus anggota \(nik) (\(reason.indonesianName))"
        case let .updateAddress(values): return "ubah alamat: \(pairs(values))"
        }
    }
}

extension FamilyChange: Codable {
    enum CodingKeys: String, CodingKey {
        case kind = "jenis"
        case nik
        case values = "data"
        case reason = "alasan"
    }

    enum Kind: String, Codable, CaseIterable {
        case updateMember = "ubah_anggota"
        case addMember = "tambah_anggota"
        case removeMember = "hapus_anggota"
        case updateAddress = "ubah_alamat"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .kind)
        guard let kind = Kind(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container,
                debugDescription: "jenis '\(text)' tidak dikenal; pilihan: \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        switch kind {
        case .updateMember:
            self = .updateMember(nik: try container.decode(String.self, forKey: .nik), values: try container.decode([String: String].self, forKey: .values))
        case .addMember:
            self = .addMember(
                reason: try container.decode(AdditionReason.self, forKey: .reason), values: try container.decode([String: String].self, forKey: .values))
        case .removeMember:
            self = .removeMember(nik: try container.decode(String.self, forKey: .nik), reason: try container.decode(RemovalReason.self, forKey: .reason))
        case .updateAddress:
            self = .updateAddress(values: try container.decode([String: String].self, forKey: .values))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .updateMember(nik, values):
            try container.encode(Kind.updateMember, forKey: .kind)
            try container.encode(nik, forKey: .nik)
            try container.encode(values, forKey: .values)
        case let .addMember(reason, values):
            try container.encode(Kind.addMember, forKey: .kind)
            try container.encode(reason, forKey: .reason)
            try container.encode(values, forKey: .values)
        case let .removeMember(nik, reason):
            try container.encode(Kind.removeMember, forKey: .kind)
            try container.encode(nik, forKey: .nik)
            try container.encode(reason, forKey: .reason)
        case let .updateAddress(values):
            try container.encode(Kind.updateAddress, forKey: .kind)
            try container.encode(values, forKey: .values)
        }
    }
}

/// The file `kk-entry enter --file` reads: `{"perubahan": [ ... ]}`.
public struct FamilyChangeFile: Codable, Sendable {
    public let changes: [FamilyChange]

    public init(changes: [FamilyChange]) { self.changes = changes }

    enum CodingKeys: String, CodingKey { case changes = "perubahan" }
}
