/// One field that differs between two versions of a family: what the
/// Kasi/Kabid checks (SOP 5) and what decides the KTP notice (SOP 9).
public struct FamilyDifference: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case memberAdded, memberRemoved
        case memberChanged(MemberField)
        case addressChanged(AddressField)
    }

    public let kind: Kind
    /// The member's NIK, or nil for the address.
    public let nik: String?
    /// "BUDI SANTOSO" or "alamat".
    public let subject: String
    public let old: String?
    public let new: String?

    public init(kind: Kind, nik: String?, subject: String, old: String?, new: String?) {
        self.kind = kind
        self.nik = nik
        self.subject = subject
        self.old = old
        self.new = new
    }

    /// Every difference from `old` to `new`, members matched by NIK, in the new card's order.
    public static func between(_ old: FamilyRecord, _ new: FamilyRecord) -> [FamilyDifference] {
        var found: [FamilyDifference] = []
        for field in AddressField.allCases where old.address.value(of: field) != new.address.value(of: field) {
            found.append(
                FamilyDifference(
                    kind: .addressChanged(field), nik: nil, subject: "alamat", old: old.address.value(of: field), new: new.address.value(of: field)))
        }
        for member in new.members {
            guard let before = old.member(member.nik.value) else {
                found.append(FamilyDifference(kind: .memberAdded, nik: member.nik.value, subject: member.fullName, old: nil, new: nil))
                continue
            }
            for field in MemberField.allCases where before.value(of: field) != member.value(of: field) {
                found.append(
                    FamilyDifference(
                        kind: .memberChanged(field), nik: member.nik.value, subject: member.fullName, old: before.value(of: field),
                        new: member.value(of: field)))
            }
        }
        for member in old.members where new.member(member.nik.value) == nil {
            found.append(FamilyDifference(kind: .memberRemoved, nik: member.nik.value, subject: member.fullName, old: nil, new: nil))
        }
        return found
    }

    public var description: String {
        switch kind {
        case .memberAdded: "anggota baru: \(subject) (NIK \(nik ?? "-"))"
        case .memberRemoved: "anggota keluar: \(subject) (NIK \(nik ?? "-"))"
        case let .memberChanged(field): "\(subject): \(field.heading) \(old ?? "-") -> \(new ?? "-")"
        case let .addressChanged(field): "alamat: \(field.heading) \(old ?? "-") -> \(new ?? "-")"
        }
    }
}
