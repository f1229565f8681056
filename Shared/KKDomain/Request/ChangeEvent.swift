/// What happened to the family, for a data change (SOP 1: "perubahan data"):
/// the event decides which supporting documents the applicant sends, and
/// officers see it beside the reason. The one table of events and their
/// documents; intake's list, the officers' returns and the checks all read it.
public enum ChangeEvent: String, Codable, CaseIterable, Sendable {
    case birth = "kelahiran"
    case death = "kematian"
    case marriage = "perkawinan"
    case divorce = "perceraian"
    case movingIn = "pindah_datang"
    case movingOut = "pindah_keluar"
    case education = "perubahan_pendidikan"
    case occupation = "perubahan_pekerjaan"
    case religion = "perubahan_agama"
    case name = "perubahan_nama"
    case correction = "koreksi_data"

    public var indonesianName: String {
        switch self {
        case .birth: "Kelahiran"
        case .death: "Kematian"
        case .marriage: "Perkawinan"
        case .divorce: "Perceraian"
        case .movingIn: "Pindah datang"
        case .movingOut: "Pindah keluar"
        case .education: "Perubahan pendidikan"
        case .occupation: "Perubahan pekerjaan"
        case .religion: "Perubahan agama"
        case .name: "Perubahan nama"
        case .correction: "Koreksi data"
        }
    }

    /// The supporting documents the event needs, besides the signed statement
    /// form every data change needs (in the order they are asked for).
    public var supportingDocuments: [DocumentKind] {
        switch self {
        case .birth: [.birthProof]
        case .death: [.deathProof]
        case .marriage: [.marriageProof]
        case .divorce: [.divorceProof]
        case .movingIn, .movingOut: [.movingCertificate]
        case .education: [.diploma]
        case .occupation: [.employmentProof]
        case .religion: [.religionStatement]
        case .name: [.courtRuling]
        case .correction: [.correctionProof]
        }
    }

    /// Its number in the list intake sends ("1" is a birth).
    public var menuNumber: Int { Self.allCases.firstIndex(of: self)! + 1 }

    public init?(menuNumber: Int) {
        guard (1...Self.allCases.count).contains(menuNumber) else { return nil }
        self = Self.allCases[menuNumber - 1]
    }
}
