/// The ten steps of the SOP with who does them and their time standard.
public enum SOPStep: Int, CaseIterable, Codable, Sendable, Comparable {
    case s1 = 1
    case s2, s3, s4, s5, s6, s7, s8, s9, s10

    public var title: String {
        switch self {
        case .s1: "Pemohon mengirim foto formulir dan dokumen persyaratan lewat WA"
        case .s2: "Petugas membuka permohonan di WA"
        case .s3: "Petugas menerima, meneliti dan mengentri data"
        case .s4: "Petugas mengajukan permohonan cetak KK ke Kasi/Kabid"
        case .s5: "Kasi/Kabid memverifikasi draft KK secara elektronik"
        case .s6: "Kasi/Kabid meneruskan ke Kepala Dinas atau mengembalikan (Belum Valid)"
        case .s7: "Kepala Dinas menandatangani KK secara elektronik (TTE)"
        case .s8: "Petugas cetak mengunduh KK dan mengirim PDF lewat WA"
        case .s9: "Pemohon menerima PDF dan mencetak sendiri"
        case .s10: "Petugas cetak mengarsipkan dokumen digital"
        }
    }

    public var actor: Role {
        switch self {
        case .s1, .s9: .applicant
        case .s2, .s3, .s4: .serviceOfficer
        case .s5, .s6: .verifier
        case .s7: .headOfDepartment
        case .s8, .s10: .printOfficer
        }
    }

    /// The SOP's time standard ("waktu") for the step.
    public var timeStandard: Duration {
        switch self {
        case .s1: .seconds(3 * 60)
        case .s3: .seconds(5 * 60)
        case .s9: .zero
        default: .seconds(60)
        }
    }

    public var output: String {
        switch self {
        case .s1, .s2, .s3: "isian formulir dan foto permohonan"
        case .s4: "draft KK"
        case .s5, .s6: "data hasil verifikasi"
        case .s7: "KK bertanda tangan elektronik"
        case .s8, .s9: "PDF KK"
        case .s10: "arsip PDF KK"
        }
    }

    public static func < (lhs: SOPStep, rhs: SOPStep) -> Bool { lhs.rawValue < rhs.rawValue }
}
