import Foundation
import KKDomain
import KKStore
import KKTesting
import Postgres
import Testing

/// SOP steps 3-6 end to end on the real broker and database: requests opened
/// in kk-intake reach kk-entry's queue through kk.requests.accepted, print
/// requests reach kk-verify's through kk.drafts.submitted, and every return
/// reaches the applicant's WhatsApp through kk-intake and wa.outbound. Officers
/// act only through the real CLIs.
@Suite("kk-entry and kk-verify: data entry, the draft KK, verification and the returns, end to end", .serialized)
struct EntryVerifyFlowTests {
    static let services = ["kk-entry", "kk-verify"]

    /// A family from the sample register with a head and a wife.
    static func family(in stack: IntakeStack, skip: Int = 0) async throws -> FamilyRecord {
        let seeded = try stack.admin(["register-seed", "--families", "17"], tool: "kk-dev")
        #expect(seeded.status == 0, "\(seeded.output)")
        let kk = try await stack.pool.query("SELECT kk_number FROM families ORDER BY kk_number OFFSET \(skip) LIMIT 1").rows[0]
            .decode("kk_number", as: String.self)
        return try await stack.pool.withTransaction { try await FamilyRegister.current(kk, in: $0).record }
    }

    static func draft(of number: String, in stack: IntakeStack) async throws -> FamilyDraft? {
        try await stack.pool.withTransaction { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            return try await FamilyDraft.load(requestID: request.id, in: tx)
        }
    }

    @Test("a birth added to a family: entered from flags and a JSON file, submitted, verified by another Kasi/Kabid; the register changes only when signed")
    func dataChangeThroughVerification() async throws {
        let stack = try await IntakeStack.start(services: Self.services)
        defer { stack.stop() }
        let family = try await Self.family(in: stack)
        let kk = family.kkNumber.value
        let head = try #require(family.head)
        let wife = try #require(family.members.first { $0.relationship == .wife })
        let number = try await stack.completeRequest(.dataChange, from: "6281300000001", as: family)
        #expect(try stack.officer("siti", ["open", number]).status == 0)

        let queue = try await stack.waitInQueue(number, officer: "siti", tool: "kk-entry")
        #expect(queue.contains("Perubahan Data") && queue.contains("belum diambil") && queue.contains("standar 6 mnt"), "\(queue)")
        let before = try stack.officer("siti", ["show", number, "--kk", kk], tool: "kk-entry")
        #expect(before.status == 0 && before.output.contains(head.fullName) && before.output.contains("Dokumen (2):"), "\(before.output)")

        let taken = try stack.officer("siti", ["take", number, "--kk", kk], tool: "kk-entry")
        #expect(taken.status == 0 && taken.output.contains("diambil oleh siti"), "\(taken.output)")
        // Another service officer may not work on a request siti has taken.
        let second = try stack.officer("agus", ["enter", number, "--member", head.nik.value, "--set", "jenis_pekerjaan=GURU"], tool: "kk-entry")
        #expect(second.status != 0 && second.output.contains("sedang ditangani oleh petugas 'siti'"), "\(second.output)")

        // The newborn's NIK says a boy born another day: refused, the field and the rule named, nothing changed.
        let born = CalendarDate(Date())
        let babyNIK = NIK.make(region: String(kk.prefix(6)), birthDate: born, sex: .female, sequence: 9001)
        let wrongNIK = NIK.make(region: String(kk.prefix(6)), birthDate: CalendarDate(year: 2020, month: 1, day: 2)!, sex: .male, sequence: 9001)
        var birth = [
            "nama_lengkap=Kirana Putri \(head.fullName.split(separator: " ").last!)", "jenis_kelamin=P", "tempat_lahir=BANTUL",
            "tanggal_lahir=\(born)", "agama=\(head.religion.rawValue)", "golongan_darah=O", "nama_ayah=\(head.fullName)", "nama_ibu=\(wife.fullName)",
        ]
        let invalid = try stack.officer(
            "siti", ["enter", number, "--add", "kelahiran", "--set", "nik=\(wrongNIK)"] + birth.flatMap { ["--set", $0] }, tool: "kk-entry")
        #expect(invalid.status != 0, "\(invalid.output)")
        #expect(
            invalid.output.contains("nik (anggota \(family.members.count + 1) (KIRANA PUTRI") && invalid.output.contains("jenis kelamin"), "\(invalid.output)")
        #expect(invalid.output.contains("Data tidak disimpan"))
        let unknownOccupation = try stack.officer("siti", ["enter", number, "--member", head.nik.value, "--set", "jenis_pekerjaan=ASTRONOT"], tool: "kk-entry")
        #expect(
            unknownOccupation.status != 0 && unknownOccupation.output.contains("jenis_pekerjaan (anggota 1")
                && unknownOccupation.output.contains("PETANI/PEKEBUN"), "\(unknownOccupation.output)")
        #expect(try await Self.draft(of: number, in: stack)?.changes.isEmpty == true)
        #expect(try await stack.state(of: number) == RequestState.opened.rawValue)

        birth.append("nik=\(babyNIK)")
        let entered = try stack.officer("siti", ["enter", number, "--add", "kelahiran"] + birth.flatMap { ["--set", $0] }, tool: "kk-entry")
        #expect(entered.status == 0, "\(entered.output)")
        #expect(entered.output.contains("anggota baru: KIRANA PUTRI"), "\(entered.output)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("perubahan-\(UUID().uuidString.prefix(6)).json")
        let newOccupation = wife.occupation == .homemaker ? "WIRASWASTA" : "MENGURUS RUMAH TANGGA"
        try Data(
            """
            {"perubahan": [
              {"jenis": "ubah_anggota", "nik": "\(wife.nik.value)", "data": {"jenis_pekerjaan": "\(newOccupation)"}},
              {"jenis": "ubah_alamat", "data": {"rt": "\(family.address.rt == "009" ? "010" : "009")"}}
            ]}
            """.utf8
        ).write(to: file)
        let fromFile = try stack.officer("siti", ["enter", number, "--file", file.path], tool: "kk-entry")
        #expect(fromFile.status == 0 && fromFile.output.contains("Jenis Pekerjaan \(wife.occupation.rawValue) -> \(newOccupation)"), "\(fromFile.output)")
        #expect(try await stack.state(of: number) == RequestState.entered.rawValue)
        let badFile = FileManager.default.temporaryDirectory.appendingPathComponent("rusak-\(UUID().uuidString.prefix(6)).json")
        try Data(#"{"perubahan": [{"jenis": "ganti_semua"}]}"#.utf8).write(to: badFile)
        let refusedFile = try stack.officer("siti", ["enter", number, "--file", badFile.path], tool: "kk-entry")
        #expect(refusedFile.status != 0 && refusedFile.output.contains("jenis 'ganti_semua' tidak dikenal"), "\(refusedFile.output)")

        // Only a service officer submits; then the print request goes to the Kasi/Kabid.
        let notHers = try stack.officer("bambang", ["submit", number], tool: "kk-entry")
        #expect(notHers.status != 0 && notHers.output.contains("Petugas Unit Layanan & Entri"), "\(notHers.output)")
        let submitted = try stack.officer("siti", ["submit", number], tool: "kk-entry")
        #expect(submitted.status == 0 && submitted.output.contains("3 perubahan"), "\(submitted.output)")
        #expect(try await stack.state(of: number) == RequestState.printRequested.rawValue)
        #expect(!(try stack.officer("siti", ["queue"], tool: "kk-entry").output.contains(number)))

        let verifyQueue = try await stack.waitInQueue(number, officer: "bambang", tool: "kk-verify")
        #expect(verifyQueue.contains("dientri siti"), "\(verifyQueue)")
        let shown = try stack.officer("bambang", ["show", number], tool: "kk-verify")
        #expect(shown.status == 0, "\(shown.output)")
        #expect(shown.output.contains("Perubahan (3):") && shown.output.contains("anggota baru: KIRANA PUTRI"), "\(shown.output)")
        #expect(shown.output.contains("alamat: RT \(family.address.rt) -> "))
        let marked = shown.output.split(separator: "\n").filter { $0.hasPrefix("*") || $0.hasPrefix("+") }
        #expect(marked.count == 3, "one mark per change: \(marked)")
        #expect(shown.output.contains("Formulir") || shown.output.contains("Surat Pernyataan"))

        // Dewi takes it; Bambang may not act on it; Dewi approves.
        #expect(try stack.officer("dewi", ["take", number], tool: "kk-verify").status == 0)
        let taken2 = try stack.officer("bambang", ["approve", number], tool: "kk-verify")
        #expect(taken2.status != 0 && taken2.output.contains("sedang ditangani oleh petugas 'dewi'"), "\(taken2.output)")
        let approved = try stack.officer("dewi", ["approve", number], tool: "kk-verify")
        #expect(approved.status == 0, "\(approved.output)")
        #expect(try await stack.state(of: number) == RequestState.verified.rawValue)
        let verified = try await stack.pool.query("SELECT payload FROM outbox WHERE topic LIKE '%kk.drafts.verified'").rows
        #expect(verified.count == 1)

        // The register: verified is not signed, so the family is still at version 1; signing makes version 2.
        try await stack.pool.withTransaction { tx in
            #expect(try await FamilyRegister.current(kk, in: tx).version == 1)
            let request = try await RequestStore.load(number: number, in: tx)
            var draft = try #require(try await FamilyDraft.load(requestID: request.id, in: tx))
            #expect(draft.status == .verified && draft.preparedBy == "siti" && draft.verifiedBy == "dewi")
            #expect(try await draft.promote(issueDate: CalendarDate(Date()), in: tx) == 2)
        }
        try await stack.pool.withTransaction { tx in
            let versions = try await FamilyRegister.versions(of: kk, in: tx)
            #expect(versions.map(\.version) == [1, 2] && versions[1].source == "signed")
            #expect(versions[0].record == family, "the old version stays readable as it was")
            #expect(versions[1].record.member(babyNIK.value)?.fullName.hasPrefix("KIRANA PUTRI") == true)
            #expect(try await FamilyRegister.family(of: babyNIK.value, in: tx) == kk)
        }
        await #expect(throws: PostgresError.self) {
            try await stack.pool.execute("UPDATE family_versions SET source = 'import' WHERE kk_number = \(kk) AND version = 1")
        }
    }

    @Test(
        "Belum Lengkap from data entry and Belum Valid from verification each reach the applicant with the reason; the corrected request goes through, not verified by anyone who entered it before the return, approved with its content hash"
    )
    func returnsReachTheApplicant() async throws {
        let stack = try await IntakeStack.start(services: Self.services)
        defer { stack.stop() }
        let family = try await Self.family(in: stack, skip: 3)
        let kk = family.kkNumber.value
        let phone = "6281300000002"
        let number = try await stack.completeRequest(.damaged, from: phone, as: family)
        #expect(try stack.officer("siti", ["open", number]).status == 0)
        _ = try await stack.waitInQueue(number, officer: "siti", tool: "kk-entry")
        #expect(try stack.officer("siti", ["take", number, "--kk", kk], tool: "kk-entry").status == 0)

        var count = try await stack.replies(to: phone, atLeast: 1).count
        let returned = try stack.officer(
            "siti", ["return", number, "--missing", "kk_lama", "--reason", "Foto KK lama terpotong, nomor KK tidak terbaca."], tool: "kk-entry")
        #expect(returned.status == 0, "\(returned.output)")
        let incomplete = try #require(try await stack.texts(to: phone, containing: "BELUM LENGKAP").dropFirst(count).first { $0.contains("BELUM LENGKAP") })
        #expect(incomplete.contains("Permohonan \(number) (KK Rusak) dikembalikan petugas: BELUM LENGKAP."), "\(incomplete)")
        #expect(incomplete.contains("Alasan petugas: Foto KK lama terpotong, nomor KK tidak terbaca."))
        #expect(try await stack.state(of: number) == RequestState.returnedIncomplete.rawValue)

        _ = try await stack.send(photoFrom: phone)
        #expect(try await stack.state(of: number) == RequestState.submitted.rawValue)
        #expect(try stack.officer("siti", ["open", number]).status == 0)
        _ = try await stack.waitInQueue(number, officer: "siti", tool: "kk-entry")
        // The draft is kept: taking it again needs no KK number. A damaged KK may go without changes.
        #expect(try stack.officer("siti", ["take", number], tool: "kk-entry").status == 0)
        let submitted = try stack.officer("siti", ["submit", number], tool: "kk-entry")
        #expect(submitted.status == 0, "\(submitted.output)")
        _ = try await stack.waitInQueue(number, officer: "bambang", tool: "kk-verify")

        count = try await stack.replies(to: phone, atLeast: 1).count
        let empty = try stack.officer("bambang", ["reject", number, "--reason", " "], tool: "kk-verify")
        #expect(empty.status != 0 && empty.output.contains("--reason tidak boleh kosong"), "\(empty.output)")
        let rejected = try stack.officer(
            "bambang", ["reject", number, "--reason", "Nama ibu kepala keluarga berbeda dengan akta; kirim surat pernyataan yang benar."],
            tool: "kk-verify")
        #expect(rejected.status == 0, "\(rejected.output)")
        let invalid = try #require(try await stack.texts(to: phone, containing: "BELUM VALID").dropFirst(count).first { $0.contains("BELUM VALID") })
        #expect(invalid.contains("Permohonan \(number) (KK Rusak) dikembalikan petugas: BELUM VALID."), "\(invalid)")
        #expect(invalid.contains("Alasan petugas: Nama ibu kepala keluarga berbeda dengan akta"))
        #expect(try await stack.state(of: number) == RequestState.returnedInvalid.rawValue)
        #expect(try await Self.draft(of: number, in: stack)?.status == .rejected)

        // The applicant corrects; another officer (agus) fixes the mother's name; this time it is approved.
        _ = try await stack.send(photoFrom: phone)
        #expect(try stack.officer("siti", ["open", number]).status == 0)
        _ = try await stack.waitInQueue(number, officer: "agus", tool: "kk-entry")
        #expect(try stack.officer("agus", ["take", number], tool: "kk-entry").status == 0)
        let head = try #require(family.head)
        let fixed = try stack.officer(
            "agus", ["enter", number, "--member", head.nik.value, "--set", "nama_ibu=SITI KHOTIMAH"], tool: "kk-entry")
        #expect(fixed.status == 0, "\(fixed.output)")
        #expect(try stack.officer("agus", ["submit", number], tool: "kk-entry").status == 0)
        _ = try await stack.waitInQueue(number, officer: "bambang", tool: "kk-verify")
        let shown = try stack.officer("bambang", ["show", number], tool: "kk-verify")
        #expect(shown.output.contains("\(head.fullName): Nama Ibu \(head.motherName) -> SITI KHOTIMAH"), "\(shown.output)")
        // Four eyes across returns: siti submitted the first print request, so even as a Kasi/Kabid
        // she may not verify the resubmitted one that agus prepared.
        #expect(try stack.admin(["officer", "set-role", "siti", "kasi_kabid"]).status == 0)
        let earlierEditor = try stack.officer("siti", ["approve", number], tool: "kk-verify")
        #expect(earlierEditor.status != 0 && earlierEditor.output.contains("prinsip empat mata"), "\(earlierEditor.output)")
        #expect(try await Self.draft(of: number, in: stack)?.approvedSHA256 == nil)
        #expect(try stack.officer("bambang", ["approve", number], tool: "kk-verify").status == 0)
        #expect(try await stack.state(of: number) == RequestState.verified.rawValue)
        // What bambang approved is fixed by its content hash (signing refuses anything else).
        let approved = try #require(try await Self.draft(of: number, in: stack))
        #expect(approved.approvedSHA256 == (try approved.contentSHA256) && approved.isAsApproved)
        let history = try await stack.pool.query(
            "SELECT action FROM request_events e JOIN requests r ON r.id = e.request_id WHERE r.number = \(number) AND action IS NOT NULL ORDER BY e.version"
        ).rows.map { try $0.decode("action", as: String.self) }
        #expect(
            history == [
                "ajukan", "buka", "kembalikan_belum_lengkap", "ajukan_ulang", "buka", "ajukan_cetak", "tolak_belum_valid", "ajukan_ulang",
                "buka", "entri", "ajukan_cetak", "verifikasi",
            ])
    }

    @Test("a lost KK: entering changes is refused, it is submitted with the current data; four eyes hold even after a role change")
    func lostKKAndFourEyes() async throws {
        let stack = try await IntakeStack.start(services: Self.services)
        defer { stack.stop() }
        let family = try await Self.family(in: stack, skip: 5)
        let kk = family.kkNumber.value
        let number = try await stack.completeRequest(.lost, from: "6281300000003", as: family)
        #expect(try stack.officer("siti", ["open", number]).status == 0)
        let queue = try await stack.waitInQueue(number, officer: "siti", tool: "kk-entry")
        #expect(queue.contains("tanpa entri data"), "\(queue)")
        let notInRegister = try stack.officer("siti", ["take", number, "--kk", "3402081206059999"], tool: "kk-entry")
        // The applicant was verified as a member of `kk`: no other family may be entered on the request.
        #expect(
            notInRegister.status != 0 && notInRegister.output.contains("terverifikasi sebagai anggota KK ************\(kk.suffix(4)), bukan ************9999"),
            "\(notInRegister.output)")
        let badNumber = try stack.officer("siti", ["take", number, "--kk", "12345"], tool: "kk-entry")
        #expect(badNumber.status != 0 && badNumber.output.contains("16 angka"), "\(badNumber.output)")
        let taken = try stack.officer("siti", ["take", number, "--kk", kk], tool: "kk-entry")
        #expect(taken.status == 0 && taken.output.contains("KK Hilang: tidak ada entri data"), "\(taken.output)")
        let entry = try stack.officer("siti", ["enter", number, "--address", "--set", "rt=001"], tool: "kk-entry")
        #expect(entry.status != 0 && entry.output.contains("KK Hilang tidak memiliki tahap entri data"), "\(entry.output)")
        #expect(try stack.officer("siti", ["submit", number], tool: "kk-entry").status == 0)
        let draft = try #require(try await Self.draft(of: number, in: stack))
        #expect(draft.changes.isEmpty && draft.record.members == family.members && draft.record.address == family.address)

        _ = try await stack.waitInQueue(number, officer: "bambang", tool: "kk-verify")
        let shown = try stack.officer("bambang", ["show", number], tool: "kk-verify")
        #expect(shown.output.contains("tidak ada (KK Hilang: dicetak ulang dengan data register)"), "\(shown.output)")
        // Siti is made a Kasi/Kabid; she still may not verify what she prepared.
        let moved = try stack.admin(["officer", "set-role", "siti", "kasi_kabid"])
        #expect(moved.status == 0, "\(moved.output)")
        let own = try stack.officer("siti", ["approve", number], tool: "kk-verify")
        #expect(own.status != 0 && own.output.contains("prinsip empat mata"), "\(own.output)")
        let ownReject = try stack.officer("siti", ["reject", number, "--reason", "coba"], tool: "kk-verify")
        #expect(ownReject.status != 0 && ownReject.output.contains("prinsip empat mata"), "\(ownReject.output)")
        #expect(try await stack.state(of: number) == RequestState.printRequested.rawValue)
        // A service officer may not verify at all.
        let agus = try stack.officer("agus", ["approve", number], tool: "kk-verify")
        #expect(agus.status != 0 && agus.output.contains("Kasi/Kabid"), "\(agus.output)")
        #expect(try stack.officer("bambang", ["approve", number], tool: "kk-verify").status == 0)
        #expect(try await stack.state(of: number) == RequestState.verified.rawValue)
    }
}
