/// A family as the register holds it: one version of what a KK prints.
public struct FamilyRecord: Codable, Sendable, Equatable {
    public var kkNumber: KKNumber
    public var address: Address
    /// The date the KK with this data was issued (signed); nil on a draft.
    public var issueDate: CalendarDate?
    /// In the order printed on the card.
    public var members: [FamilyMember]

    public init(kkNumber: KKNumber, address: Address, issueDate: CalendarDate?, members: [FamilyMember]) {
        self.kkNumber = kkNumber
        self.address = address
        self.issueDate = issueDate
        self.members = members
    }

    enum CodingKeys: String, CodingKey {
        case kkNumber = "nomor_kk"
        case address = "alamat"
        case issueDate = "tanggal_terbit"
        case members = "anggota"
    }

    /// The head of family (exactly one on a valid record).
    public var head: FamilyMember? { members.first { $0.relationship == .head } }

    public func member(_ nik: String) -> FamilyMember? { members.first { $0.nik.value == nik } }

    /// Every broken rule of the record on `today`; empty when the record is valid.
    public func violations(today: CalendarDate) -> [RegisterViolation] {
        var found = address.violations()
        if members.isEmpty {
            found.append(RegisterViolation(field: "anggota", rule: "KK harus memiliki paling sedikit satu anggota."))
        }
        let heads = members.filter { $0.relationship == .head }
        if heads.count != 1 {
            let names = heads.map(\.fullName).joined(separator: ", ")
            found.append(
                RegisterViolation(
                    field: MemberField.relationship.rawValue,
                    rule: "harus tepat satu KEPALA KELUARGA; sekarang \(heads.count)\(heads.isEmpty ? "" : " (\(names))")."))
        }
        var seen: Set<String> = []
        for (offset, member) in members.enumerated() {
            found += member.violations(today: today, index: offset + 1)
            if !seen.insert(member.nik.value).inserted {
                found.append(
                    RegisterViolation(
                        field: MemberField.nik.rawValue, subject: "anggota \(offset + 1) (\(member.fullName))",
                        rule: "NIK \(member.nik.value) sudah dipakai anggota lain di KK ini; satu NIK untuk satu orang."))
            }
        }
        return found
    }
}
