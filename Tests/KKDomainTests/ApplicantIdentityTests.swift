import KKDomain
import Testing

/// Issue 19 items 3 and 4 in the domain: reading who is asking from a
/// WhatsApp message, matching it against the family, and the answer to the
/// privacy notice.
@Suite("Who is asking, and the answer to the privacy notice")
struct ApplicantIdentityTests {
    static let year = 2026
    static let family = SampleFamilies.generate(count: 3, seed: 2026, today: CalendarDate(year: year, month: 6, day: 1)!)[0]
    static let head = family.head!

    @Test(
        "a NIK, and the KK number when given, read however the applicant writes them",
        arguments: [
            ("NIK 3402081708450001 KK 3402012511260001", "3402081708450001", "3402012511260001"),
            ("3402081708450001 3402012511260001", "3402081708450001", "3402012511260001"),
            ("no kk: 3402012511260001, nik saya 3402081708450001", "3402081708450001", "3402012511260001"),
            ("NIK 3402 0817 0845 0001", "3402081708450001", nil),
            ("nik: 3402.0817.0845.0001 (KK hilang)", "3402081708450001", nil),
            ("3402-0817-0845-0001", "3402081708450001", nil),
        ] as [(String, String, String?)])
    func reads(_ text: String, _ nik: String, _ kk: String?) throws {
        let identity = try ApplicantIdentity.read(text, referenceYear: Self.year).get()
        #expect(identity.nik.value == nik && identity.kkNumber?.value == kk)
    }

    @Test(
        "what is not an identity says what is wrong",
        arguments: [
            ("saya lupa nomornya", ApplicantIdentity.ReadError.noNumber),
            ("081234567890", .wrongLength(12)),
            ("NIK 340208170845000", .wrongLength(15)),
            ("KK 3402012511260001", .noNumber),
            ("3402081708450001 3402012511260001 3402081708450002", .tooManyNumbers),
            ("NIK 3402083208450001", .invalidNIK(.invalidDay(32))),
            ("NIK 3402081708450001 KK 9902012511260001", .invalidKKNumber(.unknownProvince("99"))),
        ])
    func refuses(_ text: String, _ expected: ApplicantIdentity.ReadError) {
        #expect(ApplicantIdentity.read(text, referenceYear: Self.year) == .failure(expected))
    }

    @Test("the register decides: an adult member of the named family (or of the NIK's own family) is verified; anything else goes to the officer")
    func checks() throws {
        let today = CalendarDate(year: Self.year, month: 6, day: 1)!
        let kk = Self.family.kkNumber
        let head = ApplicantIdentity(nik: Self.head.nik, kkNumber: kk)
        #expect(head.check(againstFamilyOfNIK: Self.family, members: .adult, today: today) == .verified(kkNumber: kk.value))
        // Without the KK number (a lost KK) the family is the NIK's own.
        let noNumber = ApplicantIdentity(nik: Self.head.nik, kkNumber: nil)
        #expect(noNumber.check(againstFamilyOfNIK: Self.family, members: .head, today: today) == .verified(kkNumber: kk.value))
        // Another family's number, a NIK in no family.
        let other = SampleFamilies.generate(count: 3, seed: 2026, today: today)[1].kkNumber
        let wrongFamily = ApplicantIdentity(nik: Self.head.nik, kkNumber: other)
        #expect(wrongFamily.check(againstFamilyOfNIK: Self.family, members: .adult, today: today) == .mismatch(.otherFamily))
        #expect(head.check(againstFamilyOfNIK: nil, members: .adult, today: today) == .mismatch(.notInRegister))
        // A child is a member, but not one who may ask; a wife may when adults may, not when only the head may.
        var family = Self.family
        let child = NIK.make(region: String(kk.value.prefix(6)), birthDate: CalendarDate(year: Self.year - 10, month: 3, day: 3)!, sex: .male, sequence: 4321)
        var young = Self.head
        young.nik = child
        young.birthDate = CalendarDate(year: Self.year - 10, month: 3, day: 3)!
        young.maritalStatus = .single
        young.relationship = .child
        family.members.append(young)
        #expect(ApplicantIdentity(nik: child, kkNumber: kk).check(againstFamilyOfNIK: family, members: .adult, today: today) == .mismatch(.notAdult))
        if let wife = family.members.first(where: { $0.relationship == .wife }) {
            let asking = ApplicantIdentity(nik: wife.nik, kkNumber: kk)
            #expect(asking.check(againstFamilyOfNIK: family, members: .adult, today: today) == .verified(kkNumber: kk.value))
            #expect(asking.check(againstFamilyOfNIK: family, members: .head, today: today) == .mismatch(.notHead))
        }
    }

    @Test(
        "the answer to the privacy notice: agreement, refusal, or neither (the notice again)",
        arguments: [
            ("SETUJU", ConsentAnswer?.some(.agree)), ("ya saya setuju", .agree), ("I agree", .agree), ("nggih", .agree), ("Oke", .agree),
            ("tidak setuju", .refuse), ("TIDAK", .refuse), ("tolak", .refuse), ("mboten", .refuse), ("no", .refuse),
            ("halo", nil), ("KK saya hilang", nil), ("apa itu data pribadi?", nil), ("", nil),
            ("setuju tapi saya mau tanya dulu soal berapa lama data saya disimpan oleh kantor", nil),
        ])
    func consent(_ text: String, _ expected: ConsentAnswer?) {
        #expect(ConsentAnswer.read(text) == expected)
    }
}
