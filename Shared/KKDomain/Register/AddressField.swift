import Foundation

/// A line of the KK's address block; the raw value is the officers' key.
public enum AddressField: String, CaseIterable, Codable, Sendable, CodingKey {
    case street = "alamat"
    case rt = "rt"
    case rw = "rw"
    case village = "desa_kelurahan"
    case district = "kecamatan"
    case regency = "kabupaten_kota"
    case province = "provinsi"
    case postalCode = "kode_pos"

    public var heading: String {
        switch self {
        case .street: "Alamat"
        case .rt: "RT"
        case .rw: "RW"
        case .village: "Desa/Kelurahan"
        case .district: "Kecamatan"
        case .regency: "Kabupaten/Kota"
        case .province: "Provinsi"
        case .postalCode: "Kode Pos"
        }
    }

    public static func named(_ key: String) throws(RegisterViolation) -> AddressField {
        let normalized = key.trimmingCharacters(in: .whitespaces).lowercased()
        if let field = AddressField(rawValue: normalized) { return field }
        throw RegisterViolation(
            field: key, rule: "kolom alamat tidak dikenal. Kolom yang ada: \(allCases.map(\.rawValue).joined(separator: ", ")).")
    }
}
