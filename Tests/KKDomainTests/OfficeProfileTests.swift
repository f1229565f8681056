import Foundation
import KKDomain
import Testing

/// Issue 19 item 11: the office's identity as data. Bantul is the built-in
/// default; Kulon Progo's sample file is a second, complete office.
@Suite("The office's profile: Bantul by default, any kabupaten from a file")
struct OfficeProfileTests {
    static let kulonProgo: OfficeProfile = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/office/kulon-progo.json")
        return try! JSONDecoder().decode(OfficeProfile.self, from: Data(contentsOf: file))
    }()

    @Test("Bantul and Kulon Progo are complete profiles, named as the KK and the letters name them")
    func names() {
        #expect(OfficeProfile.bantul.problems.isEmpty && Self.kulonProgo.problems.isEmpty, "\(Self.kulonProgo.problems)")
        #expect(OfficeProfile.bantul.kecamatan.count == 17 && Self.kulonProgo.kecamatan.count == 12)
        #expect(OfficeProfile.bantul.officeName == "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bantul")
        #expect(Self.kulonProgo.officeShortName == "Disdukcapil Kabupaten Kulon Progo")
        #expect(Self.kulonProgo.regencyHeading == "KABUPATEN KULON PROGO")
        #expect(Self.kulonProgo.kecamatan(named: "wates")?.postalCode == "55651")
        #expect(OfficeProfile.current == .bantul, "a process serves Bantul until it reads another profile")
    }

    @Test("a profile whose codes do not nest, with an unknown kind, or a kecamatan without desa is refused with each problem")
    func problems() {
        let broken = OfficeProfile(
            provinceCode: "34", province: "DI YOGYAKARTA", regencyCode: "3501", regency: "X", regencyKind: "KABUPATN", appName: "A",
            kecamatan: [.init(code: "340101", name: "Temon", postalCode: "5565", villages: [])])
        let problems = broken.problems.joined(separator: "\n")
        #expect(problems.contains("regency_code must be four digits starting with the province's code"))
        #expect(problems.contains("regency_kind must be KABUPATEN or KOTA"))
        #expect(problems.contains("kecamatan Temon: code must be six digits starting with 3501"))
        #expect(problems.contains("kecamatan Temon: postal_code must be five digits"))
        #expect(problems.contains("kecamatan Temon has no villages"))
    }

    @Test("the register's address rules and the sample families follow the office")
    func registerFollowsTheOffice() throws {
        let today = CalendarDate(Date())
        let families = SampleFamilies.generate(count: 24, today: today, office: Self.kulonProgo)
        for family in families {
            #expect(family.kkNumber.value.hasPrefix("3401") && family.address.regency == "KULON PROGO")
            #expect(family.address.violations(in: Self.kulonProgo).isEmpty, "\(family.address)")
            #expect(!family.address.violations(in: .bantul).isEmpty, "a Kulon Progo address is not in Bantul's register")
        }
        let bantulFamily = try #require(SampleFamilies.generate(count: 1, today: today, office: .bantul).first)
        let refused = bantulFamily.address.violations(in: Self.kulonProgo).map(\.rule).joined(separator: "\n")
        #expect(refused.contains("register kantor ini hanya untuk Kabupaten Kulon Progo (KULON PROGO)"), "\(refused)")
        #expect(refused.contains("bukan kecamatan di Kabupaten Kulon Progo. Pilihan: TEMON, WATES"), "\(refused)")
    }

    @Test("the SOP 9 notice names the office and its app")
    func notice() {
        let renewal = DeliveryNotice.KTPRenewal(name: "SUPARNO", fields: ["pekerjaan"])
        let text = DeliveryNotice.text(number: "KK-1", kkNumber: "3401011206050001", reason: .dataChange, renewals: [renewal], office: Self.kulonProgo)
        #expect(text.contains("Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Kulon Progo") && text.contains("\"Disdukcapil Kulon Progo Online\""))
        #expect(!text.lowercased().contains("bantul"))
    }
}
