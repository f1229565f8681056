import Foundation
import Hummingbird
import HummingbirdTesting
import KKDomain
import KKHTTP
import KKLoad
import KKStore
import KKTesting
import Postgres
import Testing

@testable import kk_archive

/// Issue 19 item 7: the KK's QR code opens kk-archive's public verification
/// page, which says valid, replaced by a newer KK of the same family, revoked
/// (by the Kepala Dinas, with a reason) or not issued; shows only the masked KK
/// number, the head of family's initials and the issue date; records every
/// lookup; and limits each client's lookups per minute.
@Suite("Public verification of a signed KK: the QR's page, replacement, revocation, limits", .serialized)
struct PublicVerificationTests {
    /// The page at `url`, as a phone's browser gets it (`client`: the X-Real-IP the ingress would set).
    static func open(_ url: String, client: String? = nil) async throws -> (status: Int, text: String) {
        let answer = try await HTTPExchange.send("GET", URL(string: url)!, headers: client.map { [("X-Real-IP", $0)] } ?? [])
        return (answer.status, String(decoding: answer.body, as: UTF8.self))
    }

    /// The URL the signed KK's QR code carries.
    static func qr(of number: String, in stack: IntakeStack) async throws -> String {
        let file = try await SigningFlowTests.pdf(of: number, in: stack)
        let page = file.deletingPathExtension().path + "-qr"
        _ = try ExternalTool.run("/usr/bin/pdftoppm", ["-r", "150", "-png", "-singlefile", file.path, page])
        return try ExternalTool.run("/usr/bin/zbarimg", ["-q", "--raw", page + ".png"]).output
            .split(separator: "\n").map(String.init).first { $0.hasPrefix("http") } ?? ""
    }

    static func document(of number: String, in stack: IntakeStack) async throws -> String {
        try await stack.pool.query("SELECT d.id FROM kk_documents d JOIN requests r ON r.id = d.request_id WHERE r.number = \(number)")
            .rows[0].decode("id", as: UUID.self).uuidString.lowercased()
    }

    @Test(
        "valid, then replaced by the family's next KK, the next one revoked by the Kepala Dinas only and with a reason; a forged code is not found; each lookup is recorded; a client over its limit gets 429"
    )
    func verdicts() async throws {
        let (stack, _) = try await ArchiveFlowTests.start()
        defer { stack.stop() }
        let first = try await ArchiveFlowTests.delivered(stack, family: 3, phone: "6281700000001")
        try await DeliveryFlowTests.waitForState(stack, first, .archived)
        let family = try await SigningFlowTests.kk(stack, 3)
        let firstURL = try await Self.qr(of: first, in: stack)
        let base = try #require(stack.environment["KK_PUBLIC_VERIFY_URL"])
        #expect(firstURL.hasPrefix(base + "/" + (try await Self.document(of: first, in: stack)) + "?h="), "the QR opens the page: \(firstURL)")

        let valid = try await Self.open(firstURL)
        #expect(valid.status == 200 && valid.text.contains("KK SAH DAN BERLAKU"), "\(valid.text)")
        let kk = family.kkNumber.value
        #expect(valid.text.contains(String(kk.prefix(4))) && valid.text.contains(String(kk.suffix(4))) && !valid.text.contains(kk), "the KK number is masked")
        let head = try #require(family.head)
        #expect(valid.text.contains(IssuedDocumentStanding.initials(of: head.fullName)) && !valid.text.contains(head.fullName))
        for member in family.members { #expect(!valid.text.contains(member.nik.value), "no NIK on the public page") }

        // A forged or damaged code: another digest, or not a document id at all.
        let forged = try await Self.open(String(firstURL.dropLast(4)) + "0000")
        #expect(forged.status == 404 && forged.text.contains("KK TIDAK DITEMUKAN"), "\(forged.text)")
        let garbage = try await Self.open(base + "/bukan-dokumen?h=%3Cscript%3E")
        #expect(garbage.status == 404 && !garbage.text.contains("<script>"), "\(garbage.text)")

        // The family's next KK replaces the first.
        let second = try await ArchiveFlowTests.delivered(stack, family: 3, phone: "6281700000002")
        let secondURL = try await Self.qr(of: second, in: stack)
        let replaced = try await Self.open(firstURL)
        #expect(replaced.status == 200 && replaced.text.contains("KK SUDAH DIGANTI"), "\(replaced.text)")
        #expect(try await Self.open(secondURL).text.contains("KK SAH DAN BERLAKU"))
        let officerView = try stack.officer("wahyuni", ["verify", "--reference", firstURL], tool: "kk-sign")
        #expect(officerView.status != 0 && officerView.output.contains("DIGANTI"), "\(officerView.output)")

        // Only the Kepala Dinas revokes, only with a reason, only once.
        let secondDocument = try await Self.document(of: second, in: stack)
        let notHers = try stack.officer("joko", ["revoke", secondDocument, "--alasan", "diterbitkan atas data yang keliru"], tool: "kk-sign")
        #expect(notHers.status != 0, "\(notHers.output)")
        let noReason = try stack.officer("wahyuni", ["revoke", secondDocument, "--alasan", "salah"], tool: "kk-sign")
        #expect(noReason.status != 0 && noReason.output.contains("terlalu singkat"), "\(noReason.output)")
        #expect(try await Self.open(secondURL).text.contains("KK SAH DAN BERLAKU"), "a refused revocation changes nothing")
        let revoked = try stack.officer("wahyuni", ["revoke", secondDocument, "--alasan", "diterbitkan atas data yang keliru"], tool: "kk-sign")
        #expect(revoked.status == 0 && revoked.output.contains("DICABUT"), "\(revoked.output)")
        let again = try stack.officer("wahyuni", ["revoke", secondDocument, "--alasan", "diterbitkan atas data yang keliru"], tool: "kk-sign")
        #expect(again.status != 0 && again.output.contains("sudah dicabut"), "\(again.output)")
        // A document id that names no signed KK is refused by name; nothing is revoked.
        let unknown = UUID().uuidString.lowercased()
        let nothing = try stack.officer("wahyuni", ["revoke", unknown, "--alasan", "diterbitkan atas data yang keliru"], tool: "kk-sign")
        #expect(nothing.status != 0 && nothing.output.contains("Tidak ada KK bertanda tangan dengan dokumen \(unknown)"), "\(nothing.output)")
        #expect(try await TestStack.count("SELECT count(*)::bigint AS n FROM kk_documents WHERE revoked_at IS NOT NULL", in: stack.pool) == 1)
        let revokedPage = try await Self.open(secondURL)
        #expect(revokedPage.status == 200 && revokedPage.text.contains("KK DICABUT") && !revokedPage.text.contains("data yang keliru"), "\(revokedPage.text)")
        let audited = try await stack.pool.query(
            "SELECT count(*) AS n FROM audit_log WHERE command = 'cabut' AND outcome = 'ok' AND detail LIKE \("dokumen \(secondDocument)%")"
        ).rows[0].decode("n", as: Int64.self)
        #expect(audited == 1)

        // Every lookup that reached the database is on record with its verdict.
        let outcomes = try await stack.pool.query("SELECT outcome, count(*) AS n FROM public_verifications GROUP BY outcome").rows
            .reduce(into: [String: Int64]()) { $0[try $1.decode("outcome", as: String.self)] = try $1.decode("n", as: Int64.self) }
        #expect(outcomes["sah"] == 3 && outcomes["diganti"] == 1 && outcomes["dicabut"] == 1 && outcomes["tidak_ditemukan"] == 2, "\(outcomes)")

        // 30 lookups a minute per client (KK_PUBLIC_VERIFY_PER_MINUTE's default); another client is not held back.
        for _ in 0..<30 { #expect(try await Self.open(firstURL, client: "203.0.113.9").status == 200) }
        let limited = try await Self.open(firstURL, client: "203.0.113.9")
        #expect(limited.status == 429 && limited.text.contains("TERLALU BANYAK PEMERIKSAAN"), "\(limited.text)")
        #expect(try await Self.open(firstURL, client: "203.0.113.10").status == 200)
    }
}
