import Foundation
import KKDomain
import KKMessaging
import KKReports
import KKTesting
import Postgres
import Testing

/// Issue 19, item 5: the applicant is told of every step behind the office's
/// doors (through kk-intake, from the steps' events), and the close asks for a
/// 1-5 score that feeds the satisfaction report (SKM).
@Suite("The applicant hears of every step and scores the service at the close", .serialized)
struct ApplicantProgressTests {
    @Test(
        "print request, verification, signature and close reach the applicant in that order; '5' answers the close and is in kk-admin skm; a later digit is not a second score"
    )
    func toldAtEveryStepAndScored() async throws {
        let (stack, _) = try await ArchiveFlowTests.start()
        defer { stack.stop() }
        let phone = "6281700000001"
        let family = try await SigningFlowTests.kk(stack, 4)
        let number = try await stack.completeRequest(.dataChange, from: phone, as: family)
        #expect(try stack.officer("siti", ["open", number]).status == 0)
        _ = try await stack.waitInQueue(number, officer: "siti", tool: "kk-entry")
        #expect(try stack.officer("siti", ["take", number, "--kk", family.kkNumber.value], tool: "kk-entry").status == 0)
        let head = try #require(family.head)
        let job = head.occupation.rawValue == "GURU" ? "WIRASWASTA" : "GURU"
        #expect(try stack.officer("siti", ["enter", number, "--member", head.nik.value, "--set", "jenis_pekerjaan=\(job)"], tool: "kk-entry").status == 0)
        #expect(try stack.officer("siti", ["submit", number], tool: "kk-entry").status == 0)

        // SOP 4: the print request, and the step ahead with its time standard.
        let printed = try await stack.texts(to: phone, containing: "diajukan untuk dicetak")
        let printNotice = try #require(printed.last { $0.contains("diajukan untuk dicetak") })
        #expect(
            printNotice.contains(number) && printNotice.contains("Kasi/Kabid memverifikasi") && printNotice.contains("standar waktu 1 menit"), "\(printNotice)")

        // SOP 5-6: verified; next the Kepala Dinas' signature.
        _ = try await stack.waitInQueue(number, officer: "bambang", tool: "kk-verify")
        #expect(try stack.officer("bambang", ["approve", number], tool: "kk-verify").status == 0)
        let verified = try await stack.texts(to: phone, containing: "sudah diverifikasi")
        #expect(verified.last { $0.contains("sudah diverifikasi") }?.contains("Kepala Dinas menandatangani") == true, "\(verified)")

        // SOP 7, then the PDF (kk-deliver) and WhatsApp's receipt, then SOP 10: closed, with the SKM question.
        _ = try await stack.waitInQueue(number, officer: "wahyuni", tool: "kk-sign")
        let signed = try stack.officer("wahyuni", ["sign", number], tool: "kk-sign")
        #expect(signed.status == 0, "\(signed.output)")
        _ = try await stack.texts(to: phone, containing: "KK untuk permohonan \(number) sudah ditandatangani")
        let wamid = try #require(try await DeliveryFlowTests.documents(stack, to: phone, count: 1).first?["wa_message_id"] as? String)
        #expect(try await stack.post(Webhook.status(id: wamid, to: phone, "delivered")) == 200)
        try await DeliveryFlowTests.waitForState(stack, number, .archived)
        let all = try await stack.texts(to: phone, containing: "sudah selesai dan dokumennya diarsipkan")
        let closing = try #require(all.last { $0.contains("diarsipkan") })
        #expect(closing.contains(number) && closing.contains("1 = sangat tidak puas") && closing.contains("5 = sangat puas"), "\(closing)")

        // In the SOP's order, each once.
        let order = [
            "diajukan untuk dicetak", "sudah diverifikasi", "KK untuk permohonan \(number) sudah ditandatangani", "sudah selesai dan dokumennya diarsipkan",
        ]
        let positions = order.map { phrase in all.indices.filter { all[$0].contains(phrase) } }
        #expect(positions.allSatisfy { $0.count == 1 }, "each step told once: \(all)")
        #expect(positions.compactMap(\.first) == positions.compactMap(\.first).sorted(), "told in the SOP's order: \(all)")

        // A verification event processed late (older than the close just told, e.g. from a lagging
        // partition) is not told after it: the applicant never hears the steps out of order.
        let requestID = try await stack.pool.query("SELECT id FROM requests WHERE number = \(number)").rows[0].decode("id", as: UUID.self)
        let late = EventEnvelope(
            payload: DraftVerified(requestNumber: number, draftId: UUID(), verifiedBy: "bambang"), requestId: requestID,
            actor: Actor(role: .verifier, id: "bambang"), occurredAt: Date().addingTimeInterval(-3600))
        try await DeadLetterReplayTests.publish(
            Array(late.encoded()), key: requestID.uuidString, topic: .draftsVerified, stack: stack, messageID: late.id.uuidString)
        try await TestStack.waitFor("kk-intake to take the late event") {
            try await TestStack.count(
                "SELECT count(*)::bigint AS n FROM inbox WHERE consumer = 'kk-intake' AND message_id = \(late.id.uuidString.lowercased())", in: stack.pool) == 1
        }
        #expect(
            try await TestStack.count(
                "SELECT count(*)::bigint AS n FROM outbox WHERE source = 'kk-intake' AND convert_from(payload, 'UTF8') LIKE '%sudah diverifikasi%'",
                in: stack.pool) == 1)

        // The answer is the score of this request; the next digit is the menu again, not a second score.
        #expect(try await stack.ask("5", from: phone).contains("penilaian Anda (5) untuk permohonan \(number) sudah kami catat"))
        let status = try await stack.ask("4", from: phone)
        #expect(status.contains(number), "'4' is the menu's status choice again: \(status)")
        let scores = try await stack.pool.query(
            "SELECT s.score FROM satisfaction_scores s JOIN requests r ON r.id = s.request_id WHERE r.number = \(number)"
        ).rows
        #expect(try scores.map { try $0.decode("score", as: Int16.self) } == [5])

        let report = try stack.admin(["skm"])
        #expect(report.status == 0, "\(report.output)")
        #expect(report.output.contains("Jumlah responden: 1") && report.output.contains("5 (sangat puas): 1"), "\(report.output)")
        #expect(report.output.contains("Indeks Kepuasan Masyarakat (IKM): 100.00") && report.output.contains("A (Sangat Baik)"), "\(report.output)")
        let verifier = try stack.admin(["skm"], as: "siti")
        #expect(verifier.status != 0, "a service officer may not read the SKM: \(verifier.output)")
    }

    @Test("the SKM's index is the average over 5 times 100, graded by PermenPANRB 14/2017's intervals; no scores, no index")
    func satisfactionIndex() throws {
        let month = SLAPeriod.month(containing: Date())
        let excellent = SatisfactionReport(period: month, counts: [5: 3, 4: 1])
        #expect(excellent.respondents == 4 && excellent.average == 4.75 && excellent.index == 95 && excellent.grade == "A (Sangat Baik)")
        #expect(SatisfactionReport(period: month, counts: [4: 1]).grade == "B (Baik)")
        #expect(SatisfactionReport(period: month, counts: [4: 3, 3: 1]).index == 75)
        #expect(SatisfactionReport(period: month, counts: [4: 3, 3: 1]).grade == "C (Kurang Baik)")
        #expect(SatisfactionReport(period: month, counts: [3: 1]).grade == "D (Tidak Baik)")
        let none = SatisfactionReport(period: month, counts: [:])
        #expect(none.index == nil && none.grade == nil && none.text.contains("Belum ada penilaian pada periode ini."))
        #expect(excellent.text.contains("Rata-rata nilai: 4.75 dari 5") && excellent.text.contains("Periode: \(month.description)"), "\(excellent.text)")
    }
}
