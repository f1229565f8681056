/// Which members of a family may ask for its KK, as the office sets
/// (`KK_APPLICANT_MEMBERS`): any adult member (holding a KTP-el: 17 or older,
/// or married), the default, or only the head of the family.
public enum ApplicantMembers: String, Sendable, CaseIterable {
    case adult
    case head

    public var indonesianName: String {
        switch self {
        case .adult: "anggota keluarga dewasa (wajib KTP-el)"
        case .head: "kepala keluarga"
        }
    }
}

/// The result of matching an applicant's identity against the family register.
public enum IdentityVerdict: Equatable, Sendable {
    /// The NIK is an allowed member of this family (the KK number given, or the NIK's own family).
    case verified(kkNumber: String)
    /// Not confirmed automatically: the service officer checks it (SOP 2), never an automatic refusal.
    case mismatch(IdentityMismatch)
}

/// Why an identity was not confirmed automatically, for the service officer.
/// The applicant is told only that an officer will check it: the reply must
/// not tell a stranger who is in which family.
public enum IdentityMismatch: String, Sendable, CaseIterable {
    case notInRegister = "nik_tidak_terdaftar"
    case otherFamily = "bukan_anggota_kk"
    case notAdult = "belum_dewasa"
    case notHead = "bukan_kepala_keluarga"

    public var indonesianName: String {
        switch self {
        case .notInRegister: "NIK tidak ada di data keluarga kabupaten ini"
        case .otherFamily: "NIK bukan anggota KK yang disebut pemohon"
        case .notAdult: "pemohon belum dewasa (belum wajib KTP-el)"
        case .notHead: "pemohon bukan kepala keluarga, padahal kantor mensyaratkan kepala keluarga"
        }
    }
}

extension ApplicantIdentity {
    /// Matches this identity against `family`, the family the NIK belongs to in
    /// the register (nil when it belongs to none). Without a KK number the
    /// family is the NIK's own.
    public func check(againstFamilyOfNIK family: FamilyRecord?, members: ApplicantMembers, today: CalendarDate) -> IdentityVerdict {
        guard let family, let member = family.member(nik.value) else { return .mismatch(.notInRegister) }
        if let kkNumber, kkNumber.value != family.kkNumber.value { return .mismatch(.otherFamily) }
        switch members {
        case .head where member.relationship != .head:
            return .mismatch(.notHead)
        case .adult where !member.holdsKTP(on: today):
            return .mismatch(.notAdult)
        default:
            return .verified(kkNumber: family.kkNumber.value)
        }
    }
}
