import Foundation
import KKConfiguration
import KKDomain
import KKLoad
import KKTesting
import Testing

/// Issue 19 item 11: another kabupaten runs the same software from its own
/// profile file. Kulon Progo's sample (deploy/office/kulon-progo.json) goes
/// end to end: its register, the applicant's messages, the signed KK and the
/// SOP 9 notice name Kulon Progo, and no Bantul text is left anywhere.
@Suite("Any kabupaten: a request end to end in Kulon Progo", .serialized)
struct OtherKabupatenTests {
    static let profile = TestStack.repositoryRoot.appendingPathComponent("deploy/office/kulon-progo.json").path

    @Test("Kulon Progo's profile: a family of its register, the conversation, the KK and the notice name Kulon Progo and never Bantul")
    func kulonProgo() async throws {
        let stack = try await DeliveryFlowTests.start(extra: [OfficeIdentity.fileVariable: Self.profile])
        defer { stack.stop() }
        let family = try await SigningFlowTests.kk(stack, 0)
        #expect(family.kkNumber.value.hasPrefix("3401") && family.address.regency == "KULON PROGO", "\(family.kkNumber.value) \(family.address)")
        #expect(family.address.violations(in: try OfficeIdentity.read(environment: [OfficeIdentity.fileVariable: Self.profile])).isEmpty)

        let phone = "6281700000001"
        let number = try await DeliveryFlowTests.signed(stack, .dataChange, family: 0, phone: phone)
        _ = try await DeliveryFlowTests.documents(stack, to: phone, count: 1)
        let texts = try await stack.texts(to: phone, containing: "HVS A4 80 gram")
        #expect(texts.first { $0.contains("Selamat datang") }?.contains("Disdukcapil Kabupaten Kulon Progo") == true, "\(texts)")
        let notice = try #require(texts.last { $0.contains("HVS A4 80 gram") })
        #expect(notice.contains("Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Kulon Progo"), "\(notice)")
        #expect(notice.contains("\"Disdukcapil Kulon Progo Online\""), "the head's job changed, which the KTP shows: \(notice)")
        for text in texts { #expect(!text.lowercased().contains("bantul"), "\(text)") }

        // The KK: its text (pdftotext) and its bytes (metadata, the signature's location, the certificates).
        let pdf = try await SigningFlowTests.pdf(of: number, in: stack)
        let text = try ExternalTool.run("/usr/bin/pdftotext", ["-layout", pdf.path, "-"]).output
        #expect(text.contains("KABUPATEN KULON PROGO") && text.contains("KK Kabupaten Kulon Progo Development CA"), "\(text)")
        #expect(!text.lowercased().contains("bantul"), "\(text)")
        let bytes = String(decoding: try Data(contentsOf: pdf), as: UTF8.self).lowercased()
        #expect(bytes.contains("kulon progo") && !bytes.contains("bantul"))
        let signature = try ExternalTool.run("/usr/bin/pdfsig", [pdf.path]).output
        #expect(signature.contains("Signature is Valid"), "\(signature)")
    }

    @Test("a malformed profile stops a service at start with the problem named")
    func malformedProfile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("profil-\(UUID().uuidString.prefix(6)).json")
        var broken = try String(contentsOfFile: Self.profile, encoding: .utf8)
        broken = broken.replacingOccurrences(of: "\"regency_code\": \"3401\"", with: "\"regency_code\": \"3501\"")
        try broken.write(to: file, atomically: true, encoding: .utf8)
        let started = try ChildProcess.start(
            "kk-intake", ["serve"], environment: AdminProcessTests.unreachableServices.merging([OfficeIdentity.fileVariable: file.path]) { $1 }
        ).wait()
        #expect(started.status != 0 && started.output.contains("KK_OFFICE_PROFILE_FILE has the value '\(file.path)'"), "\(started.output)")
        #expect(started.output.contains("regency_code must be four digits starting with the province's code"), "\(started.output)")
    }
}
