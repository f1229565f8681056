import Foundation

/// A column of the KK's member tables. The raw value is the key officers use
/// in `--set` flags and JSON files, and the key stored in the register.
public enum MemberField: String, CaseIterable, Codable, Sendable, CodingKey {
    case fullName = "nama_lengkap"
    case nik = "nik"
    case sex = "jenis_kelamin"
    case birthPlace = "tempat_lahir"
    case birthDate = "tanggal_lahir"
    case religion = "agama"
    case education = "pendidikan"
    case occupation = "jenis_pekerjaan"
    case bloodType = "golongan_darah"
    case maritalStatus = "status_perkawinan"
    case marriageDate = "tanggal_perkawinan"
    case relationship = "status_hubungan"
    case citizenship = "kewarganegaraan"
    case passportNumber = "no_paspor"
    case kitapNumber = "no_kitap"
    case fatherName = "nama_ayah"
    case motherName = "nama_ibu"

    /// The column heading as printed on the KK.
    public var heading: String {
        switch self {
        case .fullName: "Nama Lengkap"
        case .nik: "NIK"
        case .sex: "Jenis Kelamin"
        case .birthPlace: "Tempat Lahir"
        case .birthDate: "Tanggal Lahir"
        case .religion: "Agama"
        case .education: "Pendidikan"
        case .occupation: "Jenis Pekerjaan"
        case .bloodType: "Golongan Darah"
        case .maritalStatus: "Status Perkawinan"
        case .marriageDate: "Tanggal Perkawinan"
        case .relationship: "Status Hubungan Dalam Keluarga"
        case .citizenship: "Kewarganegaraan"
        case .passportNumber: "No. Paspor"
        case .kitapNumber: "No. KITAP"
        case .fatherName: "Nama Ayah"
        case .motherName: "Nama Ibu"
        }
    }

    /// Whether the field is also printed on the KTP-el (a change means the KTP must be renewed).
    public var shownOnKTP: Bool {
        switch self {
        case .fullName, .nik, .sex, .birthPlace, .birthDate, .religion, .occupation, .bloodType, .maritalStatus,
            .citizenship:
            true
        case .education, .marriageDate, .relationship, .passportNumber, .kitapNumber, .fatherName, .motherName:
            false
        }
    }

    /// Fields a value may be left empty for ("-" on the card).
    public var isOptional: Bool { self == .marriageDate || self == .passportNumber || self == .kitapNumber }

    /// "jenis_pekerjaan", or the list of keys when `key` is not one.
    public static func named(_ key: String) throws(RegisterViolation) -> MemberField {
        let normalized = key.trimmingCharacters(in: .whitespaces).lowercased()
        if let field = MemberField(rawValue: normalized) { return field }
        throw RegisterViolation(
            field: key, rule: "kolom anggota tidak dikenal. Kolom yang ada: \(allCases.map(\.rawValue).joined(separator: ", ")).")
    }
}
