import KKDomain
import PropertyBased
import Testing

@Suite("NIK and KK-number rules")
struct IdentityTests {
    @Test("a valid NIK of a man and of a woman (day + 40) from Bantul")
    func validNIKs() throws {
        let man = try NIK("3402081708450001", referenceYear: 2026)
        #expect(man.sex == .male)
        #expect(man.birthDate(referenceYear: 2026) == CalendarDate(year: 1945, month: 8, day: 17))
        #expect(man.regionCode == "340208")
        let woman = try NIK("3402155201990002", referenceYear: 2026)
        #expect(woman.sex == .female)
        #expect(woman.birthDate(referenceYear: 2026) == CalendarDate(year: 1999, month: 1, day: 12))
        #expect(woman.masked == "************0002")
        // A NIK first registered elsewhere (Jakarta) is valid for a Bantul family.
        #expect(throws: Never.self) { try NIK("3171011203050003", referenceYear: 2026) }
    }

    @Test(
        "each broken rule has its own error",
        arguments: [
            ("340208170845001", NIKError.wrongLength(15)),
            ("34020817084500011", .wrongLength(17)),
            ("34020817O8450001", .notDigits),
            ("3402 81708450001", .notDigits),
            ("9902081708450001", .unknownProvince("99")),
            ("3400081708450001", .invalidRegion("340008")),
            ("3402001708450001", .invalidRegion("340200")),
            ("3402083102990001", .impossibleDate(day: 31, month: 2, year: 1999)),
            ("3402082902010001", .impossibleDate(day: 29, month: 2, year: 2001)),
            ("3402087102990001", .impossibleDate(day: 31, month: 2, year: 1999)),
            ("3402083208450001", .invalidDay(32)),
            ("3402087208450001", .invalidDay(72)),
            ("3402080008450001", .invalidDay(0)),
            ("3402081713450001", .invalidMonth(13)),
            ("3402081708450000", .zeroSequence),
        ])
    func invalidNIKs(_ text: String, _ expected: NIKError) {
        #expect(throws: expected) { try NIK(text, referenceYear: 2026) }
        #expect(!expected.description.isEmpty)
    }

    @Test("29 February exists only in leap years")
    func leapDays() throws {
        #expect(throws: Never.self) { try NIK("3402082902000001", referenceYear: 2026) }  // 2000 is a leap year
        #expect(throws: Never.self) { try NIK("3402086902040001", referenceYear: 2026) }  // woman, 2004
        #expect(throws: NIKError.impossibleDate(day: 29, month: 2, year: 2023)) { try NIK("3402082902230001", referenceYear: 2026) }
    }

    @Test("the NIK must agree with the member's sex and birth date")
    func agreesWithMember() throws {
        let nik = try NIK("3402155201990002", referenceYear: 2026)
        let born = CalendarDate(year: 1999, month: 1, day: 12)!
        #expect(throws: Never.self) { try nik.validate(against: .female, birthDate: born) }
        #expect(throws: NIKError.sexMismatch(recorded: .male, encoded: .female)) { try nik.validate(against: .male, birthDate: born) }
        #expect(throws: NIKError.self) { try nik.validate(against: .female, birthDate: CalendarDate(year: 1999, month: 1, day: 13)!) }
        #expect(throws: NIKError.self) { try nik.validate(against: .female, birthDate: CalendarDate(year: 1989, month: 1, day: 12)!) }
    }

    @Test("KK numbers: the date is the issue date, with no women's offset")
    func kkNumbers() throws {
        let kk = try KKNumber("3402082411260001", referenceYear: 2026)
        #expect(kk.issueDate == CalendarDate(year: 2026, month: 11, day: 24))
        #expect(throws: NIKError.invalidIssueDate(day: 64, month: 11, year: 2026)) { try KKNumber("3402086411260001", referenceYear: 2026) }
        #expect(throws: NIKError.zeroSequence) { try KKNumber("3402082411260000", referenceYear: 2026) }
        #expect(throws: NIKError.unknownProvince("00")) { try KKNumber("0002082411260001", referenceYear: 2026) }
    }

    @Test("generated NIKs are valid and carry the birth date and sex they were made from")
    func generatedNIKsRoundTrip() async {
        await propertyCheck(input: Gen.int(in: 0...34_000), Gen.bool, Gen.int(in: 1...9999)) { days, female, sequence in
            let date = CalendarDate(year: 1930 + days / 366, month: 1 + (days / 28) % 12, day: 1 + days % 28)!
            let sex: Sex = female ? .female : .male
            let nik = NIK.make(region: "340212", birthDate: date, sex: sex, sequence: sequence)
            let parsed = try? NIK(nik.value, referenceYear: 2026)
            #expect(parsed?.sex == sex)
            #expect(parsed?.birthDate(referenceYear: 2026) == date)
            #expect((try? nik.validate(against: sex, birthDate: date)) != nil)
        }
    }

    @Test("Bantul has its 17 kecamatan under region 34.02")
    func bantul() {
        #expect(Region.bantulKecamatan.count == 17)
        #expect(Region.bantulKecamatan.allSatisfy { $0.code.hasPrefix("3402") })
        #expect(Set(Region.bantulKecamatan.map(\.name)).count == 17)
        #expect(Region.provinces.count == 38)
        #expect(Region.dotted("340208") == "34.02.08")
    }
}
