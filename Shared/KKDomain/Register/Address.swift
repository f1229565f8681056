import Foundation

/// The family's address as printed on the KK.
public struct Address: Codable, Sendable, Equatable {
    public var street: String
    public var rt: String
    public var rw: String
    public var village: String
    public var district: String
    public var regency: String
    public var province: String
    public var postalCode: String

    public init(
        street: String, rt: String, rw: String, village: String, district: String, regency: String = OfficeProfile.current.regency,
        province: String = OfficeProfile.current.province, postalCode: String
    ) {
        self.street = street
        self.rt = rt
        self.rw = rw
        self.village = village
        self.district = district
        self.regency = regency
        self.province = province
        self.postalCode = postalCode
    }

    public typealias CodingKeys = AddressField

    public func value(of field: AddressField) -> String {
        switch field {
        case .street: street
        case .rt: rt
        case .rw: rw
        case .village: village
        case .district: district
        case .regency: regency
        case .province: province
        case .postalCode: postalCode
        }
    }

    /// Sets one line from the officer's text (upper-cased; RT/RW padded to three digits).
    public mutating func set(_ field: AddressField, to text: String) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        switch field {
        case .street: street = value
        case .rt: rt = Self.padded(value)
        case .rw: rw = Self.padded(value)
        case .village: village = value
        case .district: district = value
        case .regency: regency = value
        case .province: province = value
        case .postalCode: postalCode = value
        }
    }

    static func padded(_ value: String) -> String {
        guard let number = Int(value), (0...999).contains(number) else { return value }
        return String(format: "%03d", number)
    }

    /// The rules of an address in the register of `office` (the office this process serves).
    public func violations(in office: OfficeProfile = .current) -> [RegisterViolation] {
        var found: [RegisterViolation] = []
        func fail(_ field: AddressField, _ rule: String) { found.append(RegisterViolation(field: field.rawValue, subject: "alamat", rule: rule)) }
        if street.isEmpty { fail(.street, "wajib diisi (nama jalan/dusun).") }
        for (field, value) in [(AddressField.rt, rt), (.rw, rw)] {
            if value.count != 3 || !value.allSatisfy(\.isASCIIDigit) || value == "000" {
                fail(field, "harus tiga angka 001-999, misalnya 004; yang diisi '\(value)'.")
            }
        }
        if province != office.province { fail(.province, "register kantor ini hanya untuk \(office.province); yang diisi '\(province)'.") }
        if regency != office.regency { fail(.regency, "register kantor ini hanya untuk \(office.regencyTitle) (\(office.regency)); yang diisi '\(regency)'.") }
        guard let kecamatan = office.kecamatan(named: district) else {
            fail(
                .district,
                "'\(district)' bukan kecamatan di \(office.regencyTitle). Pilihan: \(office.kecamatan.map { $0.name.uppercased() }.joined(separator: ", ")).")
            return found
        }
        if !kecamatan.villages.contains(village) {
            fail(.village, "'\(village)' bukan desa di Kecamatan \(district). Pilihan: \(kecamatan.villages.joined(separator: ", ")).")
        }
        if postalCode != kecamatan.postalCode {
            fail(.postalCode, "kode pos Kecamatan \(district) adalah \(kecamatan.postalCode); yang diisi '\(postalCode)'.")
        }
        return found
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
