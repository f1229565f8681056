/// The SOP's actors ("pelaksana"), plus the system itself.
public enum Role: String, Codable, CaseIterable, Sendable {
    /// Pemohon: the citizen who asks for the KK.
    case applicant = "pemohon"
    /// Petugas Unit Layanan & Entri: opens, checks and enters the request.
    case serviceOfficer = "petugas_layanan"
    /// Kasi / Kabid: verifies the draft KK.
    case verifier = "kasi_kabid"
    /// Kepala Dinas: signs the KK electronically.
    case headOfDepartment = "kepala_dinas"
    /// Petugas Cetak: sends the PDF and archives.
    case printOfficer = "petugas_cetak"
    /// Administrator sistem: manages officers, the register and the operators'
    /// tools; takes no step of the SOP itself.
    case admin = "admin"
    /// The services acting on their own (completeness checks, confirmed deliveries).
    case system = "sistem"

    public var indonesianName: String {
        switch self {
        case .applicant: "Pemohon"
        case .serviceOfficer: "Petugas Unit Layanan & Entri"
        case .verifier: "Kasi/Kabid"
        case .headOfDepartment: "Kepala Dinas"
        case .printOfficer: "Petugas Cetak"
        case .admin: "Administrator sistem"
        case .system: "Sistem"
        }
    }
}

/// Who did something: a role and an id (officer username, pseudonymous
/// applicant id, or service name).
public struct Actor: Codable, Sendable, Hashable {
    public let role: Role
    public let id: String

    public init(role: Role, id: String) {
        self.role = role
        self.id = id
    }
}
