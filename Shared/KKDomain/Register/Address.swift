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
        street: String, rt: String, rw: String, village: String, district: String, regency: String = Region.regency,
        province: String = Region.province, postalCode: String
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

    /// The rules of an address in this office's register (Kabupaten Bantul).
    public func violations() -> [RegisterViolation] {
        var found: [RegisterViolation] = []
        func fail(_ field: AddressField, _ rule: String) { found.append(RegisterViolation(field: field.rawValue, subject: "alamat", rule: rule)) }
        if street.isEmpty { fail(.street, "wajib diisi (nama jalan/dusun).") }
        for (field, value) in [(AddressField.rt, rt), (.rw, rw)] {
            if value.count != 3 || !value.allSatisfy(\.isASCIIDigit) || value == "000" {
                fail(field, "harus tiga angka 001-999, misalnya 004; yang diisi '\(value)'.")
            }
        }
        if province != Region.province { fail(.province, "register kantor ini hanya untuk \(Region.province); yang diisi '\(province)'.") }
        if regency != Region.regency { fail(.regency, "register kantor ini hanya untuk Kabupaten \(Region.regency); yang diisi '\(regency)'.") }
        guard let code = Region.bantulKecamatanCode(named: district) else {
            fail(.district, "'\(district)' bukan kecamatan di Bantul. Pilihan: \(Region.bantulKecamatan.map { $0.name.uppercased() }.joined(separator: ", ")).")
            return found
        }
        let villages = Region.bantulVillages[code] ?? []
        if !villages.contains(village) {
            fail(.village, "'\(village)' bukan desa di Kecamatan \(district). Pilihan: \(villages.joined(separator: ", ")).")
        }
        if let expected = Region.bantulPostalCodes[code], postalCode != expected {
            fail(.postalCode, "kode pos Kecamatan \(district) adalah \(expected); yang diisi '\(postalCode)'.")
        }
        return found
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
