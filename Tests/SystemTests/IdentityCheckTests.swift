import Foundation
import KKDomain
import KKStore
import KKTesting
import Postgres
import Testing

/// Issue 19 item 3, who is asking, end to end through signed webhooks: the
/// applicant's NIK and KK number are matched against the register; a mismatch
/// goes to the service officer, who may open the request only after checking
/// it; data entry takes the family the identity was verified for.
@Suite("Who is asking: the applicant's NIK against the register, a mismatch for the service officer", .serialized)
struct IdentityCheckTests {
    @Test("a KK number of another family is not refused: the officer sees BELUM COCOK, may open only with a note, and the entry takes the confirmed family")
    func mismatchGoesToTheOfficer() async throws {
        let stack = try await IntakeStack.start(services: ["kk-entry"])
        defer { stack.stop() }
        let family = try await stack.sampleFamily()
        let other = SampleFamilies.generate(count: 17, seed: 2026, today: CalendarDate(Date()))[1]
        let head = try #require(family.head)
        let phone = "6281800000001"
        try await stack.agree(from: phone)
        let started = try await stack.ask("2", from: phone)
        let number = try await stack.requestNumber(of: phone)
        #expect(started.contains("tuliskan NIK Anda sendiri"), "\(started)")

        // Photos before the identity are not taken; a NIK that cannot exist is named; a phone number is not a NIK.
        let early = try await stack.send(photoFrom: phone)
        #expect(early.contains("tuliskan dulu NIK Anda"), "\(early)")
        let badDay = try await stack.ask("NIK 3402083208450001", from: phone)
        #expect(badDay.contains("NIK belum sah") && badDay.contains("tulis lagi untuk permohonan \(number)"), "\(badDay)")
        let phoneNumber = try await stack.ask("081234567890", from: phone)
        #expect(phoneNumber.contains("Nomor yang Anda tulis 12 angka"), "\(phoneNumber)")
        let unrelated = try await stack.ask("hmm", from: phone)
        #expect(unrelated.contains("Permohonan \(number) menunggu identitas Anda"), "\(unrelated)")

        // The head's NIK with another family's KK number: recorded, the reply says nothing of whose family it is.
        let mismatch = try await stack.ask("NIK \(head.nik.value) KK \(other.kkNumber.value)", from: phone)
        #expect(mismatch.contains("belum dapat kami cocokkan otomatis") && mismatch.contains("Petugas akan memeriksanya"), "\(mismatch)")
        #expect(!mismatch.contains(head.fullName) && !mismatch.contains(family.kkNumber.value), "\(mismatch)")
        _ = try await stack.send(photoFrom: phone)
        _ = try await stack.send(photoFrom: phone)
        #expect(try await stack.state(of: number) == RequestState.submitted.rawValue)

        let show = try stack.officer("siti", ["show", number])
        #expect(
            show.output.contains("Identitas   NIK ****\(head.nik.value.suffix(4)), KK yang disebut ****\(other.kkNumber.value.suffix(4)): BELUM COCOK"),
            "\(show.output)")
        let queue = try stack.officer("siti", ["queue"])
        #expect(queue.output.split(separator: "\n").first { $0.contains(number) }?.contains("IDENTITAS BELUM COCOK") == true, "\(queue.output)")
        let refused = try stack.officer("siti", ["open", number])
        #expect(
            refused.status != 0 && refused.output.contains("belum cocok dengan data keluarga") && refused.output.contains("--identitas-sesuai"),
            "\(refused.output)")
        let short = try stack.officer("siti", ["open", number, "--identitas-sesuai", "ok"])
        #expect(short.status != 0 && short.output.contains("min. 10 karakter"), "\(short.output)")
        #expect(try await stack.state(of: number) == RequestState.submitted.rawValue, "nothing moved")
        let note = "KTP-el dan foto KK lama cocok; nomor KK salah ketik"
        let noFamily = try stack.officer("siti", ["open", number, "--identitas-sesuai", note])
        #expect(noFamily.status != 0 && noFamily.output.contains("Sebutkan juga keluarga pemohon") && noFamily.output.contains("--kk"), "\(noFamily.output)")
        let opened = try stack.officer("siti", ["open", number, "--identitas-sesuai", note, "--kk", family.kkNumber.value])
        #expect(opened.status == 0, "\(opened.output)")
        let identity = try await stack.pool.withTransaction { tx in
            try await ApplicantIdentities.load(try await RequestStore.load(number: number, in: tx).id, in: tx)
        }
        #expect(identity?.status == .confirmed && identity?.confirmedBy == "siti" && identity?.confirmedNote == note)
        #expect(identity?.kkNumber == family.kkNumber.value && identity?.mismatch == .otherFamily)
        let audited = try await stack.pool.query(
            "SELECT detail FROM audit_log WHERE command = 'open' AND outcome = 'ok' AND username = 'siti'"
        ).rows.first?.decode("detail", as: String?.self)
        #expect(
            audited?.contains("identitas dikonfirmasi untuk KK ************\(family.kkNumber.value.suffix(4)): \(note)") == true,
            "\(String(describing: audited))")

        // Data entry: no --kk needed, the confirmed family is taken; another family is refused.
        _ = try await stack.waitInQueue(number, officer: "siti", tool: "kk-entry")
        let wrong = try stack.officer("siti", ["take", number, "--kk", other.kkNumber.value], tool: "kk-entry")
        // (Officer output masks every 16-digit number but its last four digits.)
        #expect(wrong.status != 0 && wrong.output.contains("terverifikasi sebagai anggota KK ****"), "\(wrong.output)")
        let taken = try stack.officer("siti", ["take", number], tool: "kk-entry")
        #expect(taken.status == 0 && taken.output.contains("draft KK untuk KK \(family.kkNumber.value)"), "\(taken.output)")
    }

    @Test("a lost KK: the NIK alone finds the family; kk-intake refuses to start on an unknown KK_APPLICANT_MEMBERS")
    func nikAloneAndTheSetting() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let family = try await stack.sampleFamily()
        let phone = "6281800000002"
        try await stack.agree(from: phone)
        _ = try await stack.ask("KK saya hilang", from: phone)
        let verified = try await stack.ask("nik saya \(family.head!.nik.value)", from: phone)
        #expect(verified.contains("sesuai dengan data keluarga") && verified.contains("Silakan kirim foto formulir"), "\(verified)")
        let record = try await stack.pool.withTransaction { tx in
            try await ApplicantIdentities.load(try await RequestStore.load(number: try await stack.requestNumber(of: phone), in: tx).id, in: tx)
        }
        #expect(record?.status == .verified && record?.kkNumber == family.kkNumber.value && record?.claimedKKNumber == nil)

        let refused = try ChildProcess.start(
            "kk-intake", ["serve"],
            environment: stack.daemonEnvironment(for: "kk-intake", replica: true).merging(["KK_APPLICANT_MEMBERS": "semua"]) { _, new in new }
        ).wait()
        #expect(refused.status != 0 && refused.output.contains("KK_APPLICANT_MEMBERS") && refused.output.contains("adult, head"), "\(refused.output)")
    }
}
