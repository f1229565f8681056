import Foundation

/// One row of the KK's member tables, with every column the card prints.
public struct FamilyMember: Codable, Sendable, Equatable {
    public var fullName: String
    public var nik: NIK
    public var sex: Sex
    public var birthPlace: String
    public var birthDate: CalendarDate
    public var religion: Religion
    public var education: Education
    public var occupation: Occupation
    public var bloodType: BloodType
    public var maritalStatus: MaritalStatus
    public var marriageDate: CalendarDate?
    public var relationship: FamilyRelationship
    public var citizenship: Citizenship
    public var passportNumber: String?
    public var kitapNumber: String?
    public var fatherName: String
    public var motherName: String

    public typealias CodingKeys = MemberField

    public init(
        fullName: String, nik: NIK, sex: Sex, birthPlace: String, birthDate: CalendarDate, religion: Religion,
        education: Education, occupation: Occupation, bloodType: BloodType, maritalStatus: MaritalStatus,
        marriageDate: CalendarDate?, relationship: FamilyRelationship, citizenship: Citizenship = .indonesian,
        passportNumber: String? = nil, kitapNumber: String? = nil, fatherName: String, motherName: String
    ) {
        self.fullName = fullName
        self.nik = nik
        self.sex = sex
        self.birthPlace = birthPlace
        self.birthDate = birthDate
        self.religion = religion
        self.education = education
        self.occupation = occupation
        self.bloodType = bloodType
        self.maritalStatus = maritalStatus
        self.marriageDate = marriageDate
        self.relationship = relationship
        self.citizenship = citizenship
        self.passportNumber = passportNumber
        self.kitapNumber = kitapNumber
        self.fatherName = fatherName
        self.motherName = motherName
    }

    /// A new member from the officer's values (`--set` flags or a JSON object),
    /// every missing or malformed column reported at once.
    public init(values: [String: String], defaults: [MemberField: String] = [:]) throws(FamilyRecordInvalid) {
        var parsed: [MemberField: String] = defaults
        var violations: [RegisterViolation] = []
        for (key, value) in values {
            do { parsed[try MemberField.named(key)] = value } catch { violations.append(error) }
        }
        let name = parsed[.fullName].map(Self.normalizedName) ?? "anggota baru"
        for field in MemberField.allCases where !field.isOptional && parsed[field] == nil {
            violations.append(RegisterViolation(field: field.rawValue, subject: name, rule: "wajib diisi untuk anggota baru."))
        }
        guard violations.isEmpty else { throw FamilyRecordInvalid(violations) }
        // Every column goes through the same parser as a change to an existing member.
        var member = Self.blank
        for field in MemberField.allCases {
            guard let value = parsed[field] else { continue }
            do { try member.set(field, to: value) } catch { violations.append(error.about(name)) }
        }
        guard violations.isEmpty else { throw FamilyRecordInvalid(violations) }
        self = member
    }

    /// A row with every column about to be set (see `init(values:defaults:)`).
    private static let blank = FamilyMember(
        fullName: "",
        nik: NIK.make(region: OfficeProfile.current.kecamatan[0].code, birthDate: CalendarDate(year: 2000, month: 1, day: 1)!, sex: .male, sequence: 1),
        sex: .male, birthPlace: "", birthDate: CalendarDate(year: 2000, month: 1, day: 1)!, religion: .islam, education: .none,
        occupation: .unemployed, bloodType: .unknown, maritalStatus: .single, marriageDate: nil, relationship: .child,
        fatherName: "", motherName: "")

    /// The column as printed ("-" when empty; dates as DD-MM-YYYY).
    public func value(of field: MemberField) -> String {
        switch field {
        case .fullName: fullName
        case .nik: nik.value
        case .sex: sex.indonesianName
        case .birthPlace: birthPlace
        case .birthDate: birthDate.indonesianFormat
        case .religion: religion.rawValue
        case .education: education.rawValue
        case .occupation: occupation.rawValue
        case .bloodType: bloodType.rawValue
        case .maritalStatus: maritalStatus.rawValue
        case .marriageDate: marriageDate?.indonesianFormat ?? "-"
        case .relationship: relationship.rawValue
        case .citizenship: citizenship.rawValue
        case .passportNumber: passportNumber ?? "-"
        case .kitapNumber: kitapNumber ?? "-"
        case .fatherName: fatherName
        case .motherName: motherName
        }
    }

    /// Sets one column from the officer's text; the error names the column and the rule.
    public mutating func set(_ field: MemberField, to text: String) throws(RegisterViolation) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let empty = trimmed.isEmpty || trimmed == "-"
        func date() throws(RegisterViolation) -> CalendarDate {
            if let date = CalendarDate(iso: trimmed) { return date }
            let parts = trimmed.split(separator: "-")
            if parts.count == 3, parts[0].count == 2, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]),
                let date = CalendarDate(year: y, month: m, day: d)
            {
                return date
            }
            throw RegisterViolation(field: field.rawValue, rule: "'\(text)' bukan tanggal yang sah; tulis TTTT-BB-HH (misalnya 2026-11-03) atau HH-BB-TTTT.")
        }
        switch field {
        case .fullName: fullName = Self.normalizedName(trimmed)
        case .nik:
            do { nik = try NIK(trimmed) } catch { throw RegisterViolation(field: field.rawValue, rule: error.description) }
        case .sex:
            switch trimmed.uppercased() {
            case "L", "LAKI-LAKI", "LAKI LAKI": sex = .male
            case "P", "PEREMPUAN": sex = .female
            default: throw RegisterViolation(field: field.rawValue, rule: "'\(text)' bukan nilai yang sah. Pilihan: LAKI-LAKI (L); PEREMPUAN (P).")
            }
        case .birthPlace: birthPlace = Self.normalizedName(trimmed)
        case .birthDate: birthDate = try date()
        case .religion: religion = try Religion.parse(trimmed, field: field.rawValue)
        case .education: education = try Education.parse(trimmed, field: field.rawValue)
        case .occupation: occupation = try Occupation.parse(trimmed, field: field.rawValue)
        case .bloodType: bloodType = try BloodType.parse(trimmed, field: field.rawValue)
        case .maritalStatus: maritalStatus = try MaritalStatus.parse(trimmed, field: field.rawValue)
        case .marriageDate: marriageDate = empty ? nil : try date()
        case .relationship: relationship = try FamilyRelationship.parse(trimmed, field: field.rawValue)
        case .citizenship: citizenship = try Citizenship.parse(trimmed, field: field.rawValue)
        case .passportNumber: passportNumber = empty ? nil : trimmed.uppercased()
        case .kitapNumber: kitapNumber = empty ? nil : trimmed.uppercased()
        case .fatherName: fatherName = Self.normalizedName(trimmed)
        case .motherName: motherName = Self.normalizedName(trimmed)
        }
    }

    /// Upper case with single spaces, as SIAK prints names.
    static func normalizedName(_ text: String) -> String {
        text.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Age in whole years on `date`.
    public func age(on date: CalendarDate) -> Int {
        var years = date.year - birthDate.year
        if (date.month, date.day) < (birthDate.month, birthDate.day) { years -= 1 }
        return years
    }

    /// Old enough for a KTP-el: 17, or married (UU Adminduk).
    public func holdsKTP(on date: CalendarDate) -> Bool {
        age(on: date) >= 17 || maritalStatus != .single
    }

    /// The member's rules on `today`; `index` is the row number printed on the KK.
    public func violations(today: CalendarDate, index: Int) -> [RegisterViolation] {
        var found: [RegisterViolation] = []
        let subject = "anggota \(index) (\(fullName.isEmpty ? nik.value : fullName))"
        func fail(_ field: MemberField, _ rule: String) { found.append(RegisterViolation(field: field.rawValue, subject: subject, rule: rule)) }
        for (field, value) in [(MemberField.fullName, fullName), (.fatherName, fatherName), (.motherName, motherName), (.birthPlace, birthPlace)] {
            if value.isEmpty {
                fail(field, field == .fatherName || field == .motherName ? "wajib diisi (tulis - bila tidak diketahui)." : "wajib diisi.")
            } else if value != "-", !value.allSatisfy({ $0.isLetter || $0 == " " || $0 == "." || $0 == "," || $0 == "'" || $0 == "-" }) {
                fail(field, "hanya boleh huruf, spasi dan tanda . , ' -; yang diisi '\(value)'.")
            }
        }
        if birthDate > today { fail(.birthDate, "tidak boleh setelah hari ini (\(today.indonesianFormat)).") }
        do { try nik.validate(against: sex, birthDate: birthDate) } catch { fail(.nik, error.description) }
        if let marriage = marriageDate {
            if !maritalStatus.allowsMarriageDate {
                fail(.marriageDate, "harus kosong untuk status \(maritalStatus.rawValue).")
            } else if marriage < birthDate || marriage > today {
                fail(.marriageDate, "harus di antara tanggal lahir (\(birthDate.indonesianFormat)) dan hari ini.")
            }
        } else if maritalStatus.requiresMarriageDate {
            fail(.marriageDate, "wajib diisi untuk status \(maritalStatus.rawValue).")
        }
        if relationship == .wife, sex != .female { fail(.relationship, "ISTRI harus berjenis kelamin PEREMPUAN.") }
        if relationship == .husband, sex != .male { fail(.relationship, "SUAMI harus berjenis kelamin LAKI-LAKI.") }
        if relationship == .head, age(on: today) < 17, maritalStatus == .single {
            fail(.relationship, "KEPALA KELUARGA harus berumur 17 tahun atau sudah/pernah kawin.")
        }
        switch citizenship {
        case .foreign:
            if passportNumber == nil { fail(.passportNumber, "wajib diisi untuk WNA.") }
            if kitapNumber == nil { fail(.kitapNumber, "wajib diisi untuk WNA.") }
        case .indonesian:
            if kitapNumber != nil { fail(.kitapNumber, "hanya untuk WNA; kosongkan (-) untuk WNI.") }
        }
        return found
    }
}
