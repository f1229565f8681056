import Foundation

/// Realistic families across the office's kecamatan, for development, the demo
/// and the benchmarks: Javanese names, plausible ages, valid NIKs and KK
/// numbers. Deterministic: the same seed gives the same families.
public enum SampleFamilies {
    public static func generate(count: Int, seed: UInt64 = 2026, today: CalendarDate, office: OfficeProfile = .current) -> [FamilyRecord] {
        var random = SplitMix64(seed: seed)
        var sequences: [String: Int] = [:]
        func next(_ region: String) -> Int {
            sequences[region, default: 0] += 1
            return sequences[region]!
        }
        return (0..<count).map { index in
            let kecamatan = office.kecamatan[index % office.kecamatan.count]
            let region = kecamatan.code
            let village = random.pick(kecamatan.villages)
            let religion: Religion = random.next(100) < 88 ? .islam : random.pick([.catholic, .protestant, .hindu])
            func date(yearsAgo: ClosedRange<Int>) -> CalendarDate {
                let year = today.year - (yearsAgo.lowerBound + random.next(yearsAgo.count))
                let month = 1 + random.next(12)
                let day = CalendarDate(year: year, month: month, day: 1 + random.next(CalendarDate.daysIn(month: month, year: year)))!
                return min(day, today)
            }
            func person(
                _ name: String, sex: Sex, born: CalendarDate, relationship: FamilyRelationship, marital: MaritalStatus,
                married: CalendarDate?, occupation: Occupation, education: Education, father: String, mother: String
            ) -> FamilyMember {
                FamilyMember(
                    fullName: name, nik: NIK.make(region: region, birthDate: born, sex: sex, sequence: next(region)), sex: sex,
                    birthPlace: random.next(100) < 80 ? office.regency : random.pick(birthPlaces), birthDate: born, religion: religion,
                    education: education, occupation: occupation, bloodType: random.pick(BloodType.allCases),
                    maritalStatus: marital, marriageDate: married, relationship: relationship, fatherName: father, motherName: mother)
            }
            let headBorn = date(yearsAgo: 26...68)
            let married = CalendarDate(year: headBorn.year + 22 + random.next(6), month: 1 + random.next(12), day: 1 + random.next(28))!
            let marriedDate = married < today ? married : today
            let surname = random.pick(surnames)
            let headName =
                index % 97 == 13
                ? "RADEN MAS \(random.pick(maleNames)) \(random.pick(maleNames)) \(surname) WIRYOSUDARMO"
                : "\(random.pick(maleNames)) \(surname)"
            let wifeName = "\(random.pick(femaleNames)) \(random.pick(femaleSecondNames))"
            var members = [
                person(
                    headName, sex: .male, born: headBorn, relationship: .head, marital: .marriedRegistered, married: marriedDate,
                    occupation: random.pick(adultOccupations), education: random.pick(adultEducation),
                    father: "\(random.pick(maleNames)) \(random.pick(surnames))", mother: "\(random.pick(femaleNames)) \(random.pick(femaleSecondNames))"),
                person(
                    wifeName, sex: .female, born: date(yearsAgo: max(20, today.year - headBorn.year - 6)...(today.year - headBorn.year + 2)),
                    relationship: .wife, marital: .marriedRegistered, married: marriedDate,
                    occupation: random.next(100) < 50 ? .homemaker : random.pick(adultOccupations), education: random.pick(adultEducation),
                    father: "\(random.pick(maleNames)) \(random.pick(surnames))", mother: "\(random.pick(femaleNames)) \(random.pick(femaleSecondNames))"),
            ]
            let yearsMarried = max(0, today.year - marriedDate.year - 1)
            for _ in 0..<(yearsMarried == 0 ? 0 : random.next(5)) {
                let sex: Sex = random.next(2) == 0 ? .male : .female
                let born = date(yearsAgo: 0...max(0, yearsMarried - 1))
                let age = today.year - born.year
                let grown = age >= 23 && random.next(3) == 0
                members.append(
                    person(
                        "\(random.pick(sex == .male ? childMaleNames : childFemaleNames)) \(random.pick(sex == .male ? childMaleNames : childFemaleNames))",
                        sex: sex, born: born, relationship: .child, marital: grown ? .marriedUnregistered : .single, married: nil,
                        occupation: age < 6 ? .unemployed : age < 23 ? .student : random.pick(adultOccupations),
                        education: age < 7 ? .none : age < 13 ? .primaryIncomplete : age < 19 ? .juniorSecondary : .seniorSecondary,
                        father: headName, mother: wifeName))
            }
            if random.next(100) < 12 {
                members.append(
                    person(
                        "\(random.pick(femaleNames)) \(random.pick(femaleSecondNames))", sex: .female,
                        born: date(yearsAgo: (today.year - headBorn.year + 20)...(today.year - headBorn.year + 30)),
                        relationship: .parent, marital: .widowed, married: nil, occupation: .unemployed, education: .primary,
                        father: "\(random.pick(maleNames)) \(random.pick(surnames))", mother: "\(random.pick(femaleNames)) \(random.pick(femaleSecondNames))"))
            }
            let issued = date(yearsAgo: 1...12)
            return FamilyRecord(
                kkNumber: KKNumber.make(region: region, issueDate: issued, sequence: next("kk" + region)),
                address: Address(
                    street: "\(random.pick(["DUSUN", "JL.", "PEDUKUHAN"])) \(random.pick(streets))",
                    rt: String(format: "%03d", 1 + random.next(12)), rw: String(format: "%03d", 1 + random.next(6)), village: village,
                    district: kecamatan.name.uppercased(), regency: office.regency, province: office.province, postalCode: kecamatan.postalCode),
                issueDate: issued, members: members)
        }
    }

    static let maleNames = [
        "AGUS", "BUDI", "SUGENG", "SLAMET", "WAHYU", "JOKO", "BAMBANG", "HERU", "DWI", "EKO", "RUDI", "ARIF", "SUPARNO",
        "SUGIYONO", "PRAPTO", "HARYANTO", "TRI", "SUKARDI", "PAIJO", "GUNAWAN", "YULIANTO", "MARYONO",
    ]
    static let surnames = [
        "SANTOSO", "WIDODO", "PURNOMO", "NUGROHO", "SETIAWAN", "PRASETYO", "KURNIAWAN", "HIDAYAT", "SUSILO",
        "WIBOWO", "HARTONO", "SUGIHARTO", "RAHARJO", "SAPUTRO", "WIJAYA",
    ]
    static let femaleNames = ["SRI", "SITI", "ENDANG", "RATNA", "DEWI", "PUJI", "TUMINAH", "PARIYEM", "SUMARNI", "NUR", "TITIK", "YULI"]
    static let femaleSecondNames = [
        "WAHYUNI", "LESTARI", "RAHAYU", "ASTUTI", "NINGSIH", "WULANDARI", "PURWANTI", "SUPRIHATIN", "HANDAYANI",
        "SUSANTI", "KHOTIMAH", "MULYANI",
    ]
    static let childMaleNames = ["RAFI", "DIMAS", "BAGAS", "FAJAR", "ADITYA", "RIZKY", "BIMA", "GALIH", "ARYA", "YUSUF", "ILHAM"]
    static let childFemaleNames = ["NAYLA", "ALYA", "AISYAH", "PUTRI", "SALSABILA", "ANINDITA", "ZAHRA", "KIRANA", "LARASATI", "NABILA"]
    static let birthPlaces = ["YOGYAKARTA", "SLEMAN", "KULON PROGO", "GUNUNGKIDUL", "KLATEN", "MAGELANG", "PURWOREJO", "SURAKARTA"]
    static let streets = [
        "GANDEKAN", "KARANGGENENG", "NGABEAN", "PONGGOK", "KADIREJO", "SOROBAYAN", "GUNTING", "KEPUH", "JOTAWANG",
        "SALAKAN", "NGLARANG", "BIBIS", "PANJANGAN", "GEDONGAN", "WONOCATUR",
    ]
    static let adultOccupations: [Occupation] = [
        "PETANI/PEKEBUN", "BURUH HARIAN LEPAS", "WIRASWASTA", "KARYAWAN SWASTA", "PEDAGANG", "GURU", "PEGAWAI NEGERI SIPIL",
        "TUKANG BATU", "TUKANG KAYU", "SOPIR", "PERANGKAT DESA", "BIDAN", "PERAWAT",
    ].compactMap(Occupation.init(rawValue:))
    static let adultEducation: [Education] = [.primary, .juniorSecondary, .seniorSecondary, .seniorSecondary, .diplomaThree, .bachelor]
}

/// A small deterministic generator (SplitMix64), so sample data, load runs
/// and fuzzing are reproducible from their seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    mutating func nextRaw() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 { nextRaw() }

    /// 0..<bound.
    mutating func next(_ bound: Int) -> Int { Int(nextRaw() % UInt64(max(1, bound))) }

    mutating func pick<T>(_ values: [T]) -> T { values[next(values.count)] }
}
