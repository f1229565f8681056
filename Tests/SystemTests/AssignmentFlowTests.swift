import Foundation
import KKDomain
import KKTesting
import Postgres
import Testing

/// Issue 16, item 7: a Kasi/Kabid releases or reassigns a request another
/// officer has taken (reason required, audited, the officers told by their
/// CLI on their next command); a disabled officer's requests go back to the queue.
@Suite("Assignment: release, reassign, and a disabled officer's requests", .serialized)
struct AssignmentFlowTests {
    @Test("reassigned and released with a reason, refused to the wrong role and without a reason; the officers are told next time; disabling releases")
    func releaseAndReassign() async throws {
        let stack = try await IntakeStack.start(services: EntryVerifyFlowTests.services)
        defer { stack.stop() }
        let family = try await EntryVerifyFlowTests.family(in: stack, skip: 7)
        let kk = family.kkNumber.value
        let first = try await stack.completeRequest(.damaged, from: "6281300000031", as: family)
        let second = try await stack.completeRequest(.damaged, from: "6281300000032", as: family)
        for number in [first, second] {
            #expect(try stack.officer("siti", ["open", number]).status == 0)
            _ = try await stack.waitInQueue(number, officer: "siti", tool: "kk-entry")
        }
        #expect(try stack.officer("siti", ["take", first, "--kk", kk], tool: "kk-entry").status == 0)

        let noReason = try stack.officer("dewi", ["reassign", first, "--to", "agus", "--reason", " "], tool: "kk-verify")
        #expect(noReason.status != 0 && noReason.output.contains("--reason tidak boleh kosong"), "\(noReason.output)")
        let wrongRole = try stack.officer("dewi", ["reassign", first, "--to", "bambang", "--reason", "Siti cuti"], tool: "kk-verify")
        #expect(wrongRole.status != 0 && wrongRole.output.contains("dikerjakan oleh Petugas Unit Layanan & Entri"), "\(wrongRole.output)")
        let notSupervisor = try stack.officer("agus", ["reassign", first, "--to", "agus", "--reason", "saya saja"], tool: "kk-verify")
        #expect(notSupervisor.status != 0 && notSupervisor.output.contains("Kasi/Kabid"), "\(notSupervisor.output)")

        let moved = try stack.officer("dewi", ["reassign", first, "--to", "agus", "--reason", "Siti cuti"], tool: "kk-verify")
        #expect(moved.status == 0 && moved.output.contains("dialihkan dari siti kepada agus"), "\(moved.output)")
        // Siti is told on her next command, and the request is no longer hers.
        let siti = try stack.officer("siti", ["submit", first], tool: "kk-entry")
        #expect(siti.status != 0 && siti.output.contains("sedang ditangani oleh petugas 'agus'"), "\(siti.output)")
        #expect(siti.output.contains("Pemberitahuan untuk Anda: Permohonan \(first) di antrean entri data dialihkan dari Anda kepada agus"), "\(siti.output)")
        #expect(siti.output.contains("Alasan: Siti cuti"))
        #expect(!(try stack.officer("siti", ["queue"], tool: "kk-entry").output.contains("Pemberitahuan")), "a notice is shown once")
        let agus = try stack.officer("agus", ["submit", first], tool: "kk-entry")
        #expect(agus.status == 0 && agus.output.contains("dialihkan kepada Anda"), "\(agus.output)")

        // In verification: bambang takes it, dewi releases it, bambang is told.
        _ = try await stack.waitInQueue(first, officer: "bambang", tool: "kk-verify")
        #expect(try stack.officer("bambang", ["take", first], tool: "kk-verify").status == 0)
        let released = try stack.officer("dewi", ["release", first, "--reason", "Bambang dinas luar"], tool: "kk-verify")
        #expect(released.status == 0 && released.output.contains("dilepas dari bambang"), "\(released.output)")
        let told = try stack.officer("bambang", ["queue"], tool: "kk-verify")
        #expect(told.output.contains("dilepas oleh Dewi Kartika Sari (Kasi/Kabid). Alasan: Bambang dinas luar"), "\(told.output)")
        #expect(try stack.officer("dewi", ["approve", first], tool: "kk-verify").status == 0)

        let audit = try await stack.pool.query(
            "SELECT command, detail FROM audit_log WHERE command IN ('reassign', 'release') AND outcome = 'ok' ORDER BY seq"
        ).rows
            .map { "\(try $0.decode("command", as: String.self)): \(try $0.decode("detail", as: String?.self) ?? "")" }
        #expect(audit == ["reassign: dialihkan kepada agus: Siti cuti", "release: dilepas: Bambang dinas luar"])

        // Agus takes the second request and is disabled: it goes back to the queue, untaken.
        #expect(try stack.officer("agus", ["take", second, "--kk", kk], tool: "kk-entry").status == 0)
        let untakenRelease = try stack.officer("dewi", ["release", first, "--reason", "coba"], tool: "kk-verify")
        #expect(untakenRelease.status != 0 && untakenRelease.output.contains("tidak sedang menunggu di antrean petugas"), "\(untakenRelease.output)")
        let disabled = try stack.admin(["officer", "disable", "agus"])
        #expect(disabled.status == 0 && disabled.output.contains("1 permohonan yang diambilnya dikembalikan ke antrean"), "\(disabled.output)")
        let queue = try stack.officer("siti", ["queue"], tool: "kk-entry")
        let line = queue.output.split(separator: "\n").first { $0.contains(second) } ?? ""
        #expect(line.contains("belum diambil"), "\(queue.output)")
        #expect(try stack.officer("siti", ["take", second], tool: "kk-entry").status == 0)
    }

    @Test(
        "kk-intake respects who took a request: another officer's open and return are refused until a Kasi/Kabid releases it; a cancelled request leaves the queue"
    )
    func intakeTakenBy() async throws {
        let stack = try await IntakeStack.start(services: ["kk-verify"])
        defer { stack.stop() }
        let number = try await stack.completeRequest(.damaged, from: "6281300000041")
        let waiting = try stack.officer("agus", ["queue"])
        #expect(waiting.output.split(separator: "\n").first { $0.contains(number) }?.contains("belum diambil") == true, "\(waiting.output)")

        let taken = try stack.officer("siti", ["take", number])
        #expect(taken.status == 0 && taken.output.contains("Permohonan \(number) diambil oleh siti"), "\(taken.output)")
        #expect(try stack.officer("agus", ["queue"]).output.contains("diambil siti"))
        let open = try stack.officer("agus", ["open", number])
        #expect(open.status != 0 && open.output.contains("sedang ditangani oleh petugas 'siti'"), "\(open.output)")
        let returned = try stack.officer("agus", ["return", number, "--missing", "surat_pernyataan", "--reason", "Foto buram."])
        #expect(returned.status != 0 && returned.output.contains("sedang ditangani oleh petugas 'siti'"), "\(returned.output)")
        #expect(try await stack.state(of: number) == RequestState.submitted.rawValue)

        let released = try stack.officer("bambang", ["release", number, "--reason", "Siti rapat"], tool: "kk-verify")
        #expect(released.status == 0 && released.output.contains("dilepas dari siti dan kembali ke antrean penerimaan berkas"), "\(released.output)")
        let opened = try stack.officer("agus", ["open", number])
        #expect(opened.status == 0, "\(opened.output)")
        #expect(try await stack.state(of: number) == RequestState.opened.rawValue)
        let told = try stack.officer("siti", ["queue"])
        #expect(told.output.contains("Pemberitahuan untuk Anda: Permohonan \(number) yang Anda ambil di antrean penerimaan berkas dilepas"), "\(told.output)")
        #expect(!told.output.split(separator: "\n").contains { $0.hasPrefix(number) }, "an opened request leaves the intake queue: \(told.output)")

        // The applicant cancels a complete request: it is no longer in the queue.
        let phone = "6281300000042"
        let cancelled = try await stack.completeRequest(.damaged, from: phone)
        #expect(try stack.officer("siti", ["queue"]).output.contains(cancelled))
        _ = try await stack.ask("batal \(cancelled)", from: phone)
        #expect(try await stack.ask("ya", from: phone).contains("sudah dibatalkan"))
        #expect(!(try stack.officer("siti", ["queue"]).output.contains(cancelled)))
        #expect(try await stack.pool.query("SELECT count(*)::bigint AS n FROM officer_queue").rows[0].decode("n", as: Int64.self) == 0)
    }
}
