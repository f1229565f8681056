import KKDomain
import Testing

private let today = CalendarDate(year: 2026, month: 11, day: 25)!

@Suite("The notice that follows the KK PDF (SOP 9)")
struct DeliveryNoticeTests {
    static func family() -> FamilyRecord { SampleFamilies.generate(count: 40, today: today).first { $0.members.count >= 4 }! }

    @Test("every reason: print on HVS A4 80 gram; the old KK is handed in, or for a lost KK is void")
    func eachReason() {
        for reason in RequestReason.allCases {
            let text = DeliveryNotice.text(number: "KK-20261125-000001", kkNumber: "3402081206050001", reason: reason, renewals: [])
            #expect(text.contains("permohonan KK-20261125-000001, Nomor KK 3402081206050001"))
            #expect(text.contains("Cetak sendiri PDF tersebut pada kertas HVS A4 80 gram."))
            #expect(text.contains("Disdukcapil Smart Bantul") == false, "no KTP paragraph without a KTP change")
            if reason == .lost {
                #expect(text.contains("KK lama yang hilang sudah tidak berlaku"))
                #expect(!text.contains("Serahkan KK lama"))
            } else {
                #expect(text.contains("Serahkan KK lama kepada petugas Dukcapil di kantor kecamatan Anda, karena KK lama sudah tidak berlaku."))
            }
        }
    }

    @Test("the KTP paragraph names exactly the KTP holders whose KTP data changed")
    func ktpParagraph() throws {
        let before = Self.family()
        let head = try #require(before.head)
        let child = try #require(before.members.first { $0.relationship == .child && $0.age(on: today) < 17 })
        // A job change for the head (shown on the KTP), an education change for the head (not shown), a job for a child (no KTP yet).
        let after = try FamilyChange.apply(
            [
                .updateMember(
                    nik: head.nik.value, values: ["jenis_pekerjaan": head.occupation.rawValue == "GURU" ? "SOPIR" : "GURU", "pendidikan": "STRATA II"]),
                .updateMember(nik: child.nik.value, values: ["golongan_darah": child.bloodType == .a ? "B" : "A"]),
            ], to: before, today: today)
        let renewals = DeliveryNotice.renewals(before: before, after: after, today: today)
        #expect(renewals == [DeliveryNotice.KTPRenewal(name: head.fullName, fields: ["Jenis Pekerjaan"])])
        let text = DeliveryNotice.text(number: "KK-20261125-000002", kkNumber: before.kkNumber.value, reason: .dataChange, renewals: renewals)
        #expect(text.contains("Ajukan permohonan pencetakan KTP-el melalui aplikasi \"Disdukcapil Smart Bantul\""))
        #expect(text.contains("- \(head.fullName) (berubah: Jenis Pekerjaan)"))
        #expect(!text.contains(child.fullName))

        // A new address concerns every KTP holder; a newborn never.
        let moved = try FamilyChange.apply([.updateAddress(values: ["rt": before.address.rt == "001" ? "002" : "001"])], to: before, today: today)
        let holders = before.members.filter { $0.holdsKTP(on: today) }.map(\.fullName)
        #expect(DeliveryNotice.renewals(before: before, after: moved, today: today).map(\.name) == holders)
        let born = NIK.make(region: String(before.kkNumber.value.prefix(6)), birthDate: today, sex: .male, sequence: 9999)
        let birth = try FamilyChange.apply(
            [
                .addMember(
                    reason: .birth,
                    values: [
                        "nama_lengkap": "BAYI BARU", "nik": born.value, "jenis_kelamin": "L", "tempat_lahir": "BANTUL",
                        "tanggal_lahir": today.description, "agama": "ISLAM", "nama_ayah": head.fullName, "nama_ibu": "-",
                    ])
            ], to: before, today: today)
        #expect(DeliveryNotice.renewals(before: before, after: birth, today: today).isEmpty)
        // A lost or damaged KK reprinted as it was: nothing to renew.
        #expect(DeliveryNotice.renewals(before: before, after: before, today: today).isEmpty)
    }
}
