import Crypto
import Foundation
import Hex
import KKConfiguration
import KKDomain
import KKHTTP
import KKMessaging
import KKStore
import KKTesting
import Postgres
import Testing

/// The applicant's side of SOP steps 1-2, end to end: signed webhooks into
/// kk-gateway, the conversation in kk-intake, the replies back out through the
/// Graph API sandbox; officers through the real `kk-intake` CLI.
@Suite("kk-intake: the WhatsApp conversation and the service officer's CLI, end to end", .serialized)
struct IntakeFlowTests {
    @Test("each reason, from the first 'halo' to a complete request with a number and the time standards")
    func everyReason() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        // A data change names its event: "1", then "1" again for a birth from the list of events.
        let cases: [(RequestReason, ChangeEvent?, String, [String])] = [
            (.dataChange, .birth, "1", ["Surat Pernyataan Perubahan Elemen Data Kependudukan", "Surat Keterangan Lahir atau Kutipan Akta Kelahiran"]),
            (.lost, nil, "2", ["Surat Pernyataan Perubahan Elemen Data Kependudukan", "Surat Keterangan Hilang dari Kepolisian"]),
            (.damaged, nil, "3", ["Surat Pernyataan Perubahan Elemen Data Kependudukan", "KK lama (yang rusak)"]),
        ]
        for (index, (reason, event, choice, documents)) in cases.enumerated() {
            let purpose = event.map { "\(reason.indonesianName) (\($0.indonesianName))" } ?? reason.indonesianName
            let phone = "62812000001\(index)"
            let greeting = try await stack.agree(from: phone)
            #expect(greeting.contains("Selamat datang di layanan Kartu Keluarga"))
            #expect(greeting.contains("1. Perubahan data KK") && greeting.contains("2. KK hilang") && greeting.contains("3. KK rusak"))
            #expect(greeting.contains("4. Cek status permohonan") && greeting.contains("5. Batalkan permohonan"))

            var started = try await stack.ask(choice, from: phone)
            if let event {
                #expect(started.contains("Perubahan data apa yang terjadi di keluarga Anda?"))
                #expect(started.contains("1. Kelahiran\n2. Kematian\n3. Perkawinan") && started.contains("11. Koreksi data"))
                started = try await stack.ask(String(event.menuNumber), from: phone)
            }
            let number = try await stack.requestNumber(of: phone)
            #expect(started.contains("Permohonan KK karena \(purpose) dibuat dengan nomor \(number)."))
            #expect(started.contains("1. \(documents[0])\n2. \(documents[1])"))
            // Who is asking comes before the documents.
            #expect(started.contains("tuliskan NIK Anda sendiri (16 angka di KTP-el)"), "\(started)")
            let identified = try await stack.identify(phone)
            #expect(identified.contains("Silakan kirim foto formulir Surat Pernyataan"), "\(identified)")

            let first = try await stack.send(photoFrom: phone)
            #expect(first.contains("Terima kasih, \(documents[0]) untuk permohonan \(number) sudah kami terima."))
            #expect(first.contains("Masih diperlukan: \(documents[1])."))

            let done = try await stack.send(photoFrom: phone)
            #expect(done.contains("Dokumen permohonan \(purpose) Anda sudah lengkap dan kami terima."))
            #expect(done.contains("Nomor permohonan: \(number)"))
            #expect(done.contains("- Petugas membuka permohonan di WA: 1 menit"))
            #expect(done.contains("- Kepala Dinas menandatangani KK secara elektronik (TTE): 1 menit"))
            // The SOP: a lost KK has no data entry, so that step is not promised.
            #expect(done.contains("mengentri data: 5 menit") == reason.hasDataEntry)
            #expect(try await stack.state(of: number) == RequestState.submitted.rawValue)
            let kinds = try await stack.pool.query(
                "SELECT document_kind FROM media m JOIN requests r ON r.id = m.request_id WHERE r.number = \(number) ORDER BY m.created_at"
            ).rows.map { try $0.decode("document_kind", as: String.self) }
            #expect(kinds == Requirements.required(for: reason, event: event).map(\.rawValue))
            let stored = try await stack.pool.query("SELECT change_event FROM requests WHERE number = \(number)").rows[0]
            #expect(try stored.decode("change_event", as: String?.self) == event?.rawValue)
        }
    }

    @Test(
        "a data change by event: the event read from the applicant's words or chosen from a list, its own documents, a buku nikah of several pages, a return naming a document of that event"
    )
    func eventsAndPages() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let phone = "6281200000031"
        let marriage = "Buku Nikah atau Kutipan Akta Perkawinan"
        // The event from one sentence: no list, straight to its documents.
        try await stack.agree(from: phone)
        let started = try await stack.ask("selamat pagi, saya baru menikah mau ubah KK", from: phone)
        let number = try await stack.requestNumber(of: phone)
        #expect(started.contains("Permohonan KK karena Perubahan Data (Perkawinan) dibuat dengan nomor \(number)."), "\(started)")
        #expect(started.contains("1. Surat Pernyataan Perubahan Elemen Data Kependudukan\n2. \(marriage) (semua halaman)"), "\(started)")
        #expect(started.contains("balas LANJUT"))
        try await stack.identify(phone)
        let form = try await stack.send(photoFrom: phone)
        #expect(form.contains("Masih diperlukan: \(marriage).") && form.contains("foto Buku Nikah"), "\(form)")
        // Pages stay with the buku nikah until the applicant says it is complete.
        let page1 = try await stack.send(photoFrom: phone)
        #expect(page1.contains("Halaman 1 \(marriage) untuk permohonan \(number) sudah kami terima."), "\(page1)")
        #expect(page1.contains("Sudah semua? Balas LANJUT, lalu dokumen Anda kami anggap lengkap."))
        let page2 = try await stack.send(photoFrom: phone)
        #expect(page2.contains("Halaman 2 \(marriage)"), "\(page2)")
        #expect(try await stack.state(of: number) == RequestState.collectingDocuments.rawValue)
        let reminder = try await stack.ask("apa lagi?", from: phone)
        #expect(reminder.contains("2 halaman \(marriage) sudah diterima. Kirim halaman berikutnya, atau balas LANJUT"), "\(reminder)")
        let done = try await stack.ask("lanjut", from: phone)
        #expect(done.contains("Dokumen permohonan Perubahan Data (Perkawinan) Anda sudah lengkap"), "\(done)")
        #expect(try await stack.state(of: number) == RequestState.submitted.rawValue)
        let pages = try await stack.pool.query(
            """
            SELECT m.document_kind, m.page FROM media m JOIN requests r ON r.id = m.request_id
            WHERE r.number = \(number) ORDER BY m.created_at
            """
        ).rows.map { "\(try $0.decode("document_kind", as: String.self)):\(try $0.decode("page", as: Int32.self))" }
        #expect(pages == ["surat_pernyataan:1", "bukti_perkawinan:1", "bukti_perkawinan:2"])

        // The officer sees the event and every page.
        let show = try stack.officer("siti", ["show", number])
        #expect(show.output.contains("Perubahan Data (Perkawinan)") && show.output.contains("\(marriage) hal. 2"), "\(show.output)")
        let queue = try stack.officer("siti", ["queue"])
        #expect(queue.output.contains("Perubahan Data (Perkawinan)"), "\(queue.output)")
        // A return names documents of this event only.
        let wrong = try stack.officer("siti", ["return", number, "--missing", "bukti_kelahiran", "--reason", "x"])
        #expect(wrong.status != 0 && wrong.output.contains("surat_pernyataan, bukti_perkawinan"), "\(wrong.output)")
        let returned = try stack.officer("siti", ["return", number, "--missing", "bukti_perkawinan", "--reason", "Halaman pengesahan buku nikah belum ada"])
        #expect(returned.status == 0, "\(returned.output)")
        let told = try await stack.texts(to: phone, containing: "dikembalikan petugas").last { $0.contains("dikembalikan petugas") } ?? ""
        #expect(told.contains("foto Buku Nikah"), "\(told)")
        // One photo captioned "lanjut" is the whole resent document.
        let resent = try await stack.send(photoFrom: phone, caption: "halaman pengesahan, sudah lengkap")
        #expect(resent.contains("dokumen yang diminta untuk permohonan \(number) sudah lengkap"), "\(resent)")
        // The history keeps every page; what the officer accepts is the newest copy of each document.
        let reshow = try stack.officer("siti", ["show", number])
        #expect(reshow.output.contains("Dokumen (4):"), "\(reshow.output)")
        let current = try await stack.pool.withTransaction { tx in
            try await RequestDocument.current(of: try await RequestStore.load(number: number, in: tx).id, in: tx)
        }
        #expect(current.map(\.kind) == [.statementForm, .marriageProof] && current.map(\.page) == [1, 1], "the resent buku nikah replaces both earlier pages")

        // No event in the words: the list of events; a photo before choosing is not used.
        let other = "6281200000032"
        try await stack.agree(from: other)
        let menu = try await stack.ask("mau perubahan data kk", from: other)
        #expect(menu.contains("Perubahan data apa yang terjadi di keluarga Anda?") && menu.contains("9. Perubahan agama"), "\(menu)")
        let early = try await stack.send(photoFrom: other)
        #expect(early.contains("pilih dulu perubahan data yang terjadi"), "\(early)")
        let unclear = try await stack.ask("hmm", from: other)
        #expect(unclear.contains("belum memahami pilihan Anda") && unclear.contains("11. Koreksi data"), "\(unclear)")
        let religion = try await stack.ask("mualaf", from: other)
        #expect(religion.contains("Perubahan Data (Perubahan agama)") && religion.contains("Surat pernyataan perubahan agama"), "\(religion)")
    }

    @Test(
        "outside office hours (today a holiday): the greeting and the 'complete' reply say the office is closed and when officers resume; the queue counts working time only; an edited calendar file is read again"
    )
    func outsideOfficeHours() async throws {
        let now = Date()
        let hours = OfficeCalendar.Hours("08:00-15:30")!
        let calendar = OfficeCalendar(
            hours: [1: hours, 2: hours, 3: hours, 4: hours, 5: hours],
            holidays: [.init(date: CalendarDate(now), name: "Libur uji", collectiveLeave: true)])
        let file = TestStack.calendarFile(calendar)
        let stack = try await IntakeStack.start(extra: [OfficeHours.fileVariable: file])
        defer { stack.stop() }
        let phone = "6281200000041"
        let resumes = OfficeCalendar.indonesianMoment(try #require(calendar.nextOpening(after: now)))
        let greeting = try await stack.agree(from: phone)
        #expect(greeting.contains("Selamat datang di layanan Kartu Keluarga"), "\(greeting)")
        #expect(greeting.contains("Hari ini libur (Libur uji). Saat ini di luar jam layanan kantor (Senin-Jumat 08.00-15.30 WIB)."), "\(greeting)")
        #expect(greeting.contains("Petugas memprosesnya mulai \(resumes)."), "\(greeting)")
        _ = try await stack.ask("kk saya hilang", from: phone)
        try await stack.identify(phone)
        _ = try await stack.send(photoFrom: phone)
        let done = try await stack.send(photoFrom: phone)
        #expect(done.contains("sudah lengkap dan kami terima") && done.contains("di luar jam layanan kantor"), "\(done)")
        let number = try await stack.requestNumber(of: phone)
        let queue = try stack.officer("siti", ["queue"])
        #expect(queue.output.contains(number) && queue.output.contains("menunggu 0 dtk jam kerja") && queue.output.contains("dalam standar"), "\(queue.output)")
        // The operator corrects the file (the holiday was a mistake): the running service reads it again, no restart.
        try JSONEncoder().encode(OfficeCalendar.alwaysOpen).write(to: URL(fileURLWithPath: file))
        let open = try await stack.ask("halo", from: phone)
        #expect(open.contains("Selamat datang") && !open.contains("di luar jam layanan"), "\(open)")
    }

    @Test("Belum Lengkap: the officer returns it, the applicant hears why and resends, the same request goes back into the queue and is opened")
    func returnedThenCompleted() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let phone = "6281200000020"
        try await stack.agree(from: phone)
        _ = try await stack.ask("KK saya hilang", from: phone)
        try await stack.identify(phone)
        _ = try await stack.send(photoFrom: phone)
        _ = try await stack.send(photoFrom: phone)
        let number = try await stack.requestNumber(of: phone)

        let queue = try stack.officer("siti", ["queue"])
        #expect(queue.status == 0, "\(queue.output)")
        #expect(queue.output.contains(number) && queue.output.contains("KK Hilang") && queue.output.contains("standar 1 menit"))

        // A verifier may not act for the service officer.
        let refused = try stack.officer("bambang", ["return", number, "--missing", "surat_pernyataan", "--reason", "x"])
        #expect(refused.status != 0 && refused.output.contains("Kasi/Kabid"), "\(refused.output)")
        // A document the reason does not require is refused with the list of what it does require.
        let wrongKind = try stack.officer("siti", ["return", number, "--missing", "kk_lama", "--reason", "x"])
        #expect(wrongKind.status != 0 && wrongKind.output.contains("surat_pernyataan, surat_kehilangan_polisi"), "\(wrongKind.output)")

        let before = try await stack.replies(to: phone, atLeast: 3).count
        let returned = try stack.officer(
            "siti", ["return", number, "--missing", "surat_pernyataan", "--reason", "Foto formulir buram, tanda tangan tidak terbaca."])
        #expect(returned.status == 0, "\(returned.output)")
        let notice = try await stack.replies(to: phone, atLeast: before + 1)[before]
        #expect(notice.contains("Permohonan \(number) (KK Hilang) dikembalikan petugas: BELUM LENGKAP."))
        #expect(notice.contains("Alasan petugas: Foto formulir buram, tanda tangan tidak terbaca."))
        #expect(notice.contains("1. foto formulir Surat Pernyataan Perubahan Elemen Data Kependudukan yang sudah diisi dan ditandatangani"))
        #expect(!notice.contains("Kepolisian"))
        #expect(try await stack.state(of: number) == RequestState.returnedIncomplete.rawValue)

        let status = try await stack.ask(number, from: phone)
        #expect(status.contains("Tahap saat ini: Belum Lengkap, menunggu kelengkapan dari pemohon"))
        #expect(status.contains("Berikutnya: Anda (pemohon) mengirim Surat Pernyataan Perubahan Elemen Data Kependudukan."))

        let resent = try await stack.send(photoFrom: phone)
        #expect(resent.contains("dokumen yang diminta untuk permohonan \(number) sudah lengkap"))
        #expect(resent.contains("kembali masuk antrean petugas"))
        #expect(try await stack.state(of: number) == RequestState.submitted.rawValue)

        let shown = try stack.officer("siti", ["show", number])
        #expect(shown.status == 0, "\(shown.output)")
        #expect(shown.output.contains("Dokumen (3):") && shown.output.contains("mengembalikan (Belum Lengkap) (Foto formulir buram"))
        #expect(shown.output.contains("mengajukan ulang"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kk-media-\(UUID().uuidString.prefix(6))")
        let media = try stack.officer("siti", ["media", number, "--out", folder.path])
        #expect(media.status == 0, "\(media.output)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
                == ["01-surat_pernyataan.jpg", "02-surat_kehilangan_polisi.jpg", "03-surat_pernyataan.jpg"])

        let opened = try stack.officer("siti", ["open", number])
        #expect(opened.status == 0, "\(opened.output)")
        #expect(opened.output.contains("tanpa entri data (KK hilang, SOP 4)"))
        #expect(try await stack.state(of: number) == RequestState.opened.rawValue)
        let told = try await stack.replies(to: phone, atLeast: before + 4).last ?? ""
        #expect(told.contains("Permohonan \(number) sudah dibuka petugas dan sedang diproses."))
        #expect(told.contains("Langkah berikutnya: Petugas mengajukan permohonan cetak KK ke Kasi/Kabid"))
        // kk.requests.accepted carries the newest form and the police report, by id and digest.
        let payload = try await stack.pool.query(
            "SELECT payload FROM outbox WHERE topic = 'kk.requests.accepted'"
        ).rows[0].decode("payload", as: [UInt8].self)
        let accepted = try EventEnvelope.decode(from: Data(payload)).decode(RequestAccepted.self)
        #expect(accepted.requestNumber == number && accepted.documents.map(\.kind) == [.statementForm, .policeLossReport])
        let newestForm = try await stack.pool.query(
            "SELECT id FROM media WHERE document_kind = 'surat_pernyataan' ORDER BY created_at DESC LIMIT 1"
        ).rows[0].decode("id", as: UUID.self)
        #expect(accepted.documents[0].mediaId == newestForm)
        // Opening twice is an illegal transition, named in Indonesian.
        let again = try stack.officer("siti", ["open", number])
        #expect(again.status != 0 && again.output.contains("Dibuka petugas layanan"), "\(again.output)")
        let audit = try await stack.pool.query("SELECT count(*)::bigint AS n FROM audit_log WHERE username = 'siti'").rows[0].decode("n", as: Int64.self)
        #expect(audit >= 7)
    }

    @Test("a status question for a number that does not exist or is someone else's reveals nothing; one's own answers with the step and who acts next")
    func statusRevealsNothing() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let owner = "6281200000030"
        let stranger = "6281200000031"
        try await stack.agree(from: owner)
        _ = try await stack.ask("3", from: owner)
        try await stack.identify(owner)
        _ = try await stack.send(photoFrom: owner)
        _ = try await stack.send(photoFrom: owner)
        let number = try await stack.requestNumber(of: owner)

        let own = try await stack.ask("status \(number)", from: owner)
        #expect(own.contains("Permohonan \(number) (KK Rusak)"))
        #expect(own.contains("Tahap saat ini: Diajukan, menunggu dibuka petugas"))
        #expect(own.contains("Berikutnya: Petugas membuka permohonan di WA, oleh Petugas Unit Layanan & Entri (standar waktu 1 menit)."))

        // Before agreeing to the privacy notice a stranger hears only the notice.
        let beforeConsent = try await stack.ask(number, from: stranger)
        #expect(beforeConsent.contains("Pemberitahuan privasi") && !beforeConsent.contains(number), "\(beforeConsent)")
        try await stack.agree(from: stranger)
        let foreign = try await stack.ask(number, from: stranger)
        let missing = try await stack.ask("KK-20200101-999999", from: stranger)
        #expect(foreign == IntakeExpectations.notFound(number))
        #expect(missing == IntakeExpectations.notFound("KK-20200101-999999"))
        #expect(!foreign.contains("Rusak") && !foreign.contains("Diajukan"))
        let list = try await stack.ask("status", from: stranger)
        #expect(list.hasPrefix("Anda belum memiliki permohonan KK."))
    }

    @Test(
        "through signed webhooks: a greeting that names the reason starts that request; Javanese is understood; an English writer gets one English line before the Indonesian reply"
    )
    func understandsOneSentence() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        for phone in (41...45).map({ "62812000000\($0)" }) { try await stack.agree(from: phone) }
        let greetedLost = try await stack.ask("Selamat pagi pak, KK saya hilang waktu pindahan", from: "6281200000041")
        #expect(greetedLost.contains("dibuat dengan nomor"), "the reason wins over the greeting: \(greetedLost)")
        #expect(
            try await stack.pool.query(
                "SELECT reason FROM requests WHERE applicant_ref = \(RequestStore.applicantRef(for: "6281200000041"))"
            ).rows.first?.decode("reason", as: String.self) == RequestReason.lost.rawValue)
        let krama = try await stack.ask("Nuwun sewu, KK kula risak kenging banjir", from: "6281200000042")
        #expect(krama.contains("dibuat dengan nomor") && !krama.contains("(English)"), "\(krama)")
        let english = try await stack.ask("Hello, I lost my family card", from: "6281200000043")
        #expect(english.hasPrefix("(English) Noted: a replacement for a lost family card."), "\(english)")
        #expect(english.contains("dibuat dengan nomor"), "the Indonesian reply follows: \(english)")
        let englishMenu = try await stack.ask("Good morning, can you help me please", from: "6281200000044")
        #expect(englishMenu.hasPrefix("(English) This service answers in Indonesian."), "\(englishMenu)")
        // A voice note and a location are answered with what to send instead.
        let voice = Webhook.message(id: "wamid.voice-1", from: "6281200000045", #""type":"audio","audio":{"id":"au-1","mime_type":"audio/ogg","voice":true}"#)
        #expect(try await stack.post(voice) == 200)
        let heardVoice = try await stack.texts(to: "6281200000045", containing: "pesan suara")
        #expect(heardVoice.contains { $0.hasPrefix("Maaf, pesan suara belum dapat kami dengarkan. Tuliskan keperluan Anda dalam pesan teks") }, "\(heardVoice)")
        let location = Webhook.message(id: "wamid.loc-1", from: "6281200000045", #""type":"location","location":{"latitude":-7.88,"longitude":110.33}"#)
        #expect(try await stack.post(location) == 200)
        let heardLocation = try await stack.texts(to: "6281200000045", containing: "lokasi tidak kami perlukan")
        // The notice, the agreement, the voice note's answer and the location's: nothing else.
        #expect(heardLocation.count == 4, "\(heardLocation)")
    }

    @Test(
        "kk-intake chat shows the applicant's conversation; kk-intake reply writes to the applicant as the office, named in the ledger and audited; an empty reply, another role or an unknown request is refused"
    )
    func chatAndReply() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let phone = "6281200000035"
        try await stack.agree(from: phone)
        _ = try await stack.ask("KK saya hilang", from: phone)
        try await stack.identify(phone)
        _ = try await stack.send(photoFrom: phone)
        let number = try await stack.requestNumber(of: phone)

        let chat = try stack.officer("siti", ["chat", number])
        #expect(chat.status == 0, "\(chat.output)")
        #expect(chat.output.contains("Percakapan WhatsApp permohonan \(number)"))
        #expect(chat.output.contains("Pemohon: KK saya hilang"), "\(chat.output)")
        // What the applicant wrote before agreeing to the privacy notice was not kept.
        #expect(chat.output.contains("Pemohon: (isi tidak disimpan: sebelum persetujuan privasi"), "\(chat.output)")
        #expect(!chat.output.contains("Pemohon: halo"), "\(chat.output)")
        #expect(chat.output.contains("Pemohon: [image]"), "\(chat.output)")
        #expect(chat.output.contains("Sistem: "), "\(chat.output)")
        let lines = chat.output.split(separator: "\n").map(String.init)
        let asked = try #require(lines.firstIndex { $0.contains("Pemohon: KK saya hilang") })
        let answered = try #require(lines.firstIndex { $0.contains("dibuat dengan nomor \(number)") })
        #expect(asked < answered, "oldest first")

        let words = "Mohon kirim ulang foto surat kehilangan, bagian stempel tidak terbaca."
        let reply = try stack.officer("siti", ["reply", number, words])
        #expect(reply.status == 0, "\(reply.output)")
        #expect(reply.output.contains("Pesan untuk pemohon \(number) dikirim ke antrean WhatsApp"))
        #expect(!reply.output.contains("templat"), "the applicant wrote minutes ago: inside the 24-hour window")
        let heard = try await stack.texts(to: phone, containing: words)
        #expect(heard.contains(IntakeExpectations.replyHeading(number) + "\n\n" + words), "\(heard)")
        // The ledger names the officer; the audit entry names the message.
        let ledger = try await stack.pool.query(
            "SELECT message_id, author, body FROM wa_outbound WHERE author IS NOT NULL AND body LIKE \("%" + words)"
        ).rows
        #expect(ledger.count == 1)
        let messageID = try #require(try ledger.first?.decode("message_id", as: String.self))
        #expect(try ledger.first?.decode("author", as: String.self) == "siti")
        let audited = try await stack.pool.query(
            "SELECT a.detail FROM audit_log a JOIN requests r ON r.id = a.request_id WHERE r.number = \(number) AND a.command = 'reply' AND a.outcome = 'ok'"
        ).rows.map { try $0.decode("detail", as: String?.self) }
        #expect(audited == ["pesan \(messageID)"])
        let after = try stack.officer("siti", ["chat", number, "--jumlah", "1"])
        #expect(after.output.contains("Petugas siti") && after.output.contains(IntakeExpectations.replyHeading(number)), "\(after.output)")

        let empty = try stack.officer("siti", ["reply", number, "   "])
        #expect(empty.status != 0 && empty.output.contains("Pesan kosong"), "\(empty.output)")
        let verifier = try stack.officer("bambang", ["reply", number, "halo"])
        #expect(verifier.status != 0 && verifier.output.contains("Kasi/Kabid"), "\(verifier.output)")
        let unknown = try stack.officer("siti", ["chat", "KK-20200101-999999"])
        #expect(unknown.status != 0 && unknown.output.contains("KK-20200101-999999"), "\(unknown.output)")
        let tooMany = try stack.officer("siti", ["chat", number, "--jumlah", "0"])
        #expect(tooMany.status != 0 && tooMany.output.contains("--jumlah"), "\(tooMany.output)")
        let replies = try await stack.pool.query("SELECT count(*)::bigint AS n FROM wa_outbound WHERE author IS NOT NULL").rows[0].decode("n", as: Int64.self)
        #expect(replies == 1, "refused replies send nothing")
    }

    @Test("duplicates, unknown text, unsupported types, files too large, cancelling: each gets its own clear answer")
    func awkwardMessages() async throws {
        let stack = try await IntakeStack.start(extra: ["KK_WA_MEDIA_LIMIT_BYTES": "1048576"])
        defer { stack.stop() }
        let phone = "6281200000040"
        // The same WhatsApp message delivered twice is answered once.
        let hello = Webhook.text(id: "wamid.dupe-1", from: phone, body: "halo")
        #expect(try await stack.post(hello) == 200)
        #expect(try await stack.post(hello) == 200)
        let notice = try #require(try await stack.replies(to: phone, atLeast: 1).first)
        #expect(notice.contains("Pemberitahuan privasi"), "\(notice)")
        // "tidak" refuses the notice: nothing is stored and the applicant hears where else to go.
        let refused = try await stack.ask("tidak", from: phone)
        #expect(refused.hasPrefix("Baik, Anda tidak setuju. Kami tidak menyimpan pesan maupun dokumen Anda"), "\(refused)")
        #expect(try await !stack.hasAgreed(phone))
        _ = try await stack.ask("setuju", from: phone)
        let help = try await stack.ask("bagaimana caranya ya", from: phone)
        #expect(help.hasPrefix("Maaf, kami belum memahami pesan Anda.\nBalas dengan angka pilihan Anda:"))
        #expect(try await stack.replies(to: phone, atLeast: 4).count == 4)

        // A data change names its event from the list before a request exists ("2": a death).
        _ = try await stack.ask("1", from: phone)
        _ = try await stack.ask("2", from: phone)
        try await stack.identify(phone)
        let number = try await stack.requestNumber(of: phone)
        let sticker = Webhook.message(id: "wamid.sticker-1", from: phone, #""type":"sticker","sticker":{"id":"st-1","mime_type":"image/webp"}"#)
        #expect(try await stack.post(sticker) == 200)
        let unsupported = try await stack.replies(to: phone, atLeast: 8)[7]
        #expect(
            unsupported == "Terima kasih atas stikernya. Untuk permohonan KK, tuliskan keperluan Anda dalam pesan teks, atau kirim dokumen "
                + "sebagai foto (JPG/PNG) atau PDF.\nPermohonan \(number) masih menunggu: Surat Pernyataan Perubahan Elemen Data Kependudukan.")

        try await stack.photo(from: phone, bytes: [UInt8](repeating: 0xAB, count: 1_500_000))
        let tooLarge = try await stack.replies(to: phone, atLeast: 9)[8]
        #expect(tooLarge.contains("Maaf, berkas Anda terlalu besar dan tidak dapat kami simpan (maksimal 1 MB)."))
        #expect(tooLarge.contains("Permohonan \(number) masih menunggu: Surat Pernyataan"))

        // A new service while one is unfinished: finish or cancel first.
        _ = try await stack.ask("menu", from: phone)
        let second = try await stack.ask("2", from: phone)
        #expect(second.contains("Anda masih punya permohonan \(number) (Perubahan Data (Kematian)) yang belum lengkap."), "\(second)")

        let confirm = try await stack.ask("batal", from: phone)
        #expect(confirm.contains("Anda akan membatalkan permohonan \(number) (Perubahan Data (Kematian))"), "\(confirm)")
        #expect(confirm.contains("Balas YA untuk membatalkan"))
        let cancelled = try await stack.ask("ya", from: phone)
        #expect(cancelled == "Permohonan \(number) sudah dibatalkan. Ketik MENU bila ingin membuat permohonan baru.")
        #expect(try await stack.state(of: number) == RequestState.cancelled.rawValue)
        #expect(
            try await stack.ask("batal", from: phone)
                == "Tidak ada permohonan Anda yang dapat dibatalkan. Permohonan yang sudah ditandatangani tidak dapat dibatalkan.")
        // Nothing went to the dead letters on the way.
        #expect(try await stack.pool.query("SELECT count(*)::bigint AS n FROM dead_letters").rows[0].decode("n", as: Int64.self) == 0)
    }

    @Test(
        "outside the 24-hour window a notification goes as the configured template; 429s are retried; a Graph API that keeps failing ends in the dead letters")
    func templatesRetriesAndGivingUp() async throws {
        let stack = try await IntakeStack.start(extra: ["KK_WA_SEND_ATTEMPTS": "3", "KK_WA_TEMPLATE": "kk_pemberitahuan_v2:id"])
        defer { stack.stop() }
        let phone = "6281200000050"
        // Two 429s, then success: the reply still arrives, once.
        try await Self.fail(port: stack.sandboxPort, status: 429, count: 2)
        let greeting = try await stack.ask("halo", from: phone)
        #expect(greeting.contains("Selamat datang"))
        #expect(try await stack.pool.query("SELECT count(*)::bigint AS n FROM wa_outbound").rows[0].decode("n", as: Int64.self) == 1)

        _ = try await stack.ask("setuju", from: phone)
        _ = try await stack.ask("2", from: phone)
        try await stack.identify(phone)
        _ = try await stack.send(photoFrom: phone)
        _ = try await stack.send(photoFrom: phone)
        let number = try await stack.requestNumber(of: phone)
        // Days later: the applicant has been silent for two days.
        try await stack.pool.execute(
            "UPDATE wa_contacts SET last_inbound_at = now() - interval '2 days' WHERE applicant_ref = \(RequestStore.applicantRef(for: phone))")
        let returned = try stack.officer(
            "siti", ["return", number, "--missing", "surat_kehilangan_polisi", "--reason", "Surat dari kepolisian sudah kedaluwarsa."])
        #expect(returned.status == 0, "\(returned.output)")
        let messages = try await Self.waitForMessages(stack, to: phone, count: 7)
        let template = try #require(messages.last?["template"] as? [String: Any])
        #expect(messages.last?["type"] as? String == "template")
        #expect(template["name"] as? String == "kk_pemberitahuan_v2")
        #expect((template["language"] as? [String: Any])?["code"] as? String == "id")
        let body = IntakeStack.text(of: messages.last!)
        #expect(
            body.contains("Permohonan \(number) (KK Hilang) dikembalikan petugas: BELUM LENGKAP. | Alasan petugas: Surat dari kepolisian sudah kedaluwarsa."))
        #expect(!body.contains("\n"))

        // 500 on every try: after KK_WA_SEND_ATTEMPTS the message is dead-lettered with the reason.
        try await Self.fail(port: stack.sandboxPort, status: 500, count: 3)
        try await stack.text("status", from: phone)
        var reason: String?
        for _ in 0..<100 where reason == nil {
            try await Task.sleep(for: .milliseconds(200))
            reason = try await stack.pool.query("SELECT reason FROM dead_letters WHERE consumer LIKE '%kk-gateway'").rows.first?.decode(
                "reason", as: String.self)
        }
        let why = try #require(reason)
        #expect(why.contains("WhatsApp did not accept send to") && why.contains("after 3 tries") && why.contains("500"))
        #expect(try await stack.pool.query("SELECT count(*)::bigint AS n FROM outbox WHERE topic = 'kk.deadletter'").rows[0].decode("n", as: Int64.self) == 1)
        // And the next message goes through again.
        let after = try await stack.ask(number, from: phone)
        #expect(after.contains("Tahap saat ini: Belum Lengkap"))
    }

    @Test("a number writing faster than KK_WA_MESSAGES_PER_MINUTE is asked, once, to wait a minute; an SVG sent as a photo is refused with what to send")
    func limitsAndFileTypes() async throws {
        let stack = try await IntakeStack.start(extra: ["KK_WA_MESSAGES_PER_MINUTE": "3"])
        defer { stack.stop() }
        let phone = "6281200000080"
        for i in 1...5 { try await stack.text(i == 1 ? "halo" : "menu", from: phone) }
        let replies = try await stack.replies(to: phone, atLeast: 4)
        try await TestStack.waitFor("kk-intake to take every message passed on") {
            try await stack.pool.query("SELECT count(*)::bigint AS n FROM inbox WHERE consumer = 'kk-intake'").rows[0].decode("n", as: Int64.self) == 4
        }
        let all = try await stack.replies(to: phone, atLeast: 4)
        #expect(all.count == 4 && replies.count == 4, "three answers and one request to wait: \(all)")
        #expect(
            all.last == "Mohon maaf, pesan Anda terlalu banyak dalam satu menit sehingga sebagian belum kami baca. "
                + "Tunggu sekitar satu menit, lalu kirim lagi pesan atau foto yang belum mendapat balasan.")

        // An SVG (a script inside) declared as a photo: not stored, and the applicant hears which files are taken.
        let other = "6281200000081"
        try await stack.agree(from: other)
        let svg = Array(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8)
        let before = try await stack.sent().filter { $0["to"] as? String == other }.count
        try await stack.photo(from: other, bytes: svg, contentType: "image/jpeg")
        let answer = try await stack.replies(to: other, atLeast: before + 1).last ?? ""
        #expect(answer.hasPrefix("Maaf, kami hanya dapat menerima pesan teks, foto (JPG/PNG), atau dokumen PDF."), "\(answer)")
        #expect(try await stack.pool.query("SELECT count(*)::bigint AS n FROM media").rows[0].decode("n", as: Int64.self) == 0)

        // A photo WhatsApp no longer has (404 for its media id): the applicant is asked to send it again
        // (a third number: the second has written its three messages of the minute).
        let third = "6281200000082"
        try await stack.agree(from: third)
        let count = try await stack.sent().filter { $0["to"] as? String == third }.count
        #expect(try await stack.post(Webhook.image(id: "wamid.\(UUID().uuidString)", from: third, mediaID: "sudah-hilang")) == 200)
        let again = try await stack.replies(to: third, atLeast: count + 1).last ?? ""
        #expect(
            again.hasPrefix("Maaf, foto atau berkas yang baru Anda kirim tidak dapat kami ambil dari WhatsApp. Mohon kirim ulang foto atau berkas tersebut."),
            "\(again)")
    }

    @Test(
        "the officer CLI holds no database credential: login, whoami and open go through kk-intake's API; a Kasi/Kabid's token cannot open over HTTP; an unreachable service is named"
    )
    func officerCLIThroughTheAPI() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let number = try await stack.completeRequest(.lost, from: "6281200000071")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sesi-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let passwordFile = folder.appendingPathComponent("sandi")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(IntakeStack.officerPassword.utf8).write(to: passwordFile)
        // Only the service's address and a session file: no KK_DATABASE_URL, no broker, no KK_OFFICER.
        let client = ["KK_INTAKE_URL": stack.environment["KK_INTAKE_URL"]!, "KK_SESSION_FILE": folder.appendingPathComponent("bambang").path]
        func cli(_ arguments: [String], _ environment: [String: String] = client) throws -> (status: Int32, output: String) {
            try ChildProcess.start("kk-intake", arguments, environment: environment, without: IntakeStack.serverOnlyVariables.union(["KK_OFFICER"])).wait()
        }
        let login = try cli(["login", "bambang", "--password-file", passwordFile.path])
        #expect(login.status == 0 && login.output.contains("Selamat datang, Bambang Suryanto (Kasi/Kabid)"), "\(login.output)")
        #expect(login.output.contains("15 menit") && login.output.contains("8 jam"))
        #expect(try cli(["whoami"]).output.contains("bambang\tBambang Suryanto"))

        // The Kasi/Kabid goes around the CLI, straight to the route: refused by the service, audited, nothing moves.
        let token = try String(contentsOfFile: client["KK_SESSION_FILE"]!, encoding: .utf8)
        func open(token: String) async throws -> HTTPAnswer {
            try await HTTPExchange.send(
                "POST", URL(string: "\(client["KK_INTAKE_URL"]!)/api/v1/intake/open")!, headers: [("Authorization", "Bearer \(token)")],
                body: Array(#"{"number":"\#(number)"}"#.utf8))
        }
        let refused = try await open(token: token)
        #expect(refused.status == 403, "\(refused.text())")
        #expect(refused.text().contains("hanya boleh dijalankan oleh Petugas Unit Layanan"))
        #expect(try await stack.state(of: number) == RequestState.submitted.rawValue)
        #expect(
            try await stack.pool.query("SELECT count(*)::bigint AS n FROM audit_log WHERE username = 'bambang' AND command = 'open' AND outcome = 'refused'")
                .rows[0].decode("n", as: Int64.self) == 1)
        // Forged: a token the service never issued.
        #expect(try await open(token: String(token.reversed())).status == 401)

        // The service officer, again with no database credential, opens it; the audit entry names her.
        let opened = try ChildProcess.start(
            "kk-intake", ["open", number],
            environment: ["KK_INTAKE_URL": client["KK_INTAKE_URL"]!, "KK_OFFICER": "siti", "KK_OFFICER_PASSWORD_FILE": passwordFile.path],
            without: IntakeStack.serverOnlyVariables
        ).wait()
        #expect(opened.status == 0, "\(opened.output)")
        #expect(try await stack.state(of: number) == RequestState.opened.rawValue)
        #expect(
            try await stack.pool.query("SELECT count(*)::bigint AS n FROM audit_log WHERE username = 'siti' AND command = 'open' AND outcome = 'ok'").rows[0]
                .decode("n", as: Int64.self) == 1)
        // KK_OFFICER's session lasted one command.
        #expect(
            try await stack.pool.query("SELECT count(*)::bigint AS n FROM officer_sessions WHERE username = 'siti'").rows[0].decode("n", as: Int64.self) == 0)

        let unreachable = try cli(["queue", "--server", "http://127.0.0.1:\(freePort())"])
        #expect(unreachable.status != 0 && unreachable.output.contains("Layanan kk-intake tidak dapat dihubungi"), "\(unreachable.output)")
        #expect(try cli(["logout"]).output.contains("Anda sudah keluar."))
        #expect(!FileManager.default.fileExists(atPath: client["KK_SESSION_FILE"]!))
        #expect(
            try await stack.pool.query("SELECT count(*)::bigint AS n FROM officer_sessions WHERE username = 'bambang'").rows[0].decode("n", as: Int64.self) == 0
        )
        let after = try cli(["whoami"])
        #expect(after.status != 0 && after.output.contains("Anda belum masuk"), "\(after.output)")

        // An admin ends every session of an officer (a lost laptop): the saved token stops working at once.
        #expect(try cli(["login", "bambang", "--password-file", passwordFile.path]).status == 0)
        let revoked = try stack.admin(["officer", "revoke-sessions", "bambang"])
        #expect(revoked.status == 0 && revoked.output.contains("1 sesi petugas bambang diakhiri"), "\(revoked.output)")
        let gone = try cli(["whoami"])
        #expect(gone.status != 0 && gone.output.contains("Anda belum masuk"), "\(gone.output)")
    }

    @Test("WhatsApp's 24-hour window runs from the applicant's own message: written 23 hours ago it is answered with text, 25 hours ago with the template")
    func customerServiceWindow() async throws {
        let stack = try await IntakeStack.start(extra: ["KK_WA_TEMPLATE": "kk_pemberitahuan_v2:id"])
        defer { stack.stop() }
        let inside = "6281200000061"
        let outside = "6281200000062"
        let hour: TimeInterval = 3600
        let earlier = Webhook.text(id: "wamid.\(UUID().uuidString)", from: inside, body: "halo", at: Date().addingTimeInterval(-23 * hour))
        let tooEarly = Webhook.text(id: "wamid.\(UUID().uuidString)", from: outside, body: "halo", at: Date().addingTimeInterval(-25 * hour))
        #expect(try await stack.post(earlier) == 200)
        #expect(try await stack.post(tooEarly) == 200)

        let text = try #require(try await Self.waitForMessages(stack, to: inside, count: 1).first)
        #expect(text["type"] as? String == "text", "\(text)")
        #expect(IntakeStack.text(of: text).contains("Selamat datang di layanan Kartu Keluarga"))

        let template = try #require(try await Self.waitForMessages(stack, to: outside, count: 1).first)
        #expect(template["type"] as? String == "template", "\(template)")
        #expect((template["template"] as? [String: Any])?["name"] as? String == "kk_pemberitahuan_v2")
        let body = IntakeStack.text(of: template)
        #expect(body.contains("Selamat datang di layanan Kartu Keluarga") && !body.contains("\n"), "\(body)")
    }

    @Test("a document on wa.outbound is uploaded to the Graph API, then sent with its file name and caption")
    func documentUploadThenSend() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let phone = "6281200000060"
        // The gateway sends a document only to the applicant of the request that owns it.
        let number = try await stack.completeRequest(.lost, from: phone)
        let before = try await stack.sent().filter { $0["to"] as? String == phone }.count
        let pdf = Array("%PDF-1.7\n% KK uji\n".utf8) + (0..<5000).map { UInt8(truncatingIfNeeded: $0) }
        let mediaID = UUID()
        let sha = SHA256.hash(data: pdf).hexEncoded
        try await stack.pool.withTransaction { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            try await tx.execute(
                """
                INSERT INTO media (id, sha256, content_type, size_bytes, bytes, file_name, source, request_id)
                VALUES (\(mediaID), \(sha), 'application/pdf', \(pdf.count), \(pdf), 'KK-3402012511260001.pdf', 'kk-sign', \(request.id))
                """)
            let message = WhatsAppOutbound(
                applicantRef: RequestStore.applicantRef(for: phone), kind: .document, text: "Kartu Keluarga Anda (PDF bertanda tangan elektronik).",
                mediaId: mediaID, fileName: "KK-3402012511260001.pdf", requestId: request.id)
            let envelope = EventEnvelope(payload: message, requestId: request.id, actor: Actor(role: .system, id: "kk-deliver"))
            try await Outbox.enqueue([OutgoingMessage(topic: .waOutbound, envelope: envelope, key: message.applicantRef)], source: "kk-gateway", in: tx)
        }
        let messages = try await Self.waitForMessages(stack, to: phone, count: before + 1)
        #expect(messages.last?["type"] as? String == "document")
        let document = try #require(messages.last?["document"] as? [String: Any])
        #expect(document["filename"] as? String == "KK-3402012511260001.pdf")
        #expect(document["caption"] as? String == "Kartu Keluarga Anda (PDF bertanda tangan elektronik).")
        // The id sent is the upload's, and the sandbox holds exactly the PDF's bytes.
        let uploaded = try #require(document["id"] as? String)
        let answer = try await HTTPExchange.send(
            "GET", URL(string: "http://127.0.0.1:\(stack.sandboxPort)/\(uploaded)")!, headers: [("Authorization", "Bearer \(IntakeStack.token)")])
        let info = try #require(try JSONSerialization.jsonObject(with: answer.data) as? [String: Any])
        #expect(info["sha256"] as? String == sha && info["mime_type"] as? String == "application/pdf")
        let sent = try await stack.pool.query("SELECT kind, via_template FROM wa_outbound WHERE kind = 'document'").rows
        #expect(sent.count == 1)
        #expect(try sent.first?.decode("via_template", as: Bool.self) == false)
    }

    @Test("`kk-dev simulate` plays an applicant from a terminal: signed webhooks in, the office's replies printed")
    func simulateFromATerminal() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let photo = FileManager.default.temporaryDirectory.appendingPathComponent("formulir-\(UUID().uuidString.prefix(6)).jpg")
        try Data(IntakeStack.samplePhoto()).write(to: photo)
        let identity = IntakeStack.identity(of: try await stack.sampleFamily())
        let run = try ChildProcess.start(
            "kk-dev",
            [
                "simulate", "--from", "6281200000070", "--gateway", "http://127.0.0.1:\(stack.gatewayPort)/webhook",
                "--sandbox", "http://127.0.0.1:\(stack.sandboxPort)", "--text", "halo", "--text", "setuju", "--text", "2",
                "--text", identity, "--photo", photo.path, "--wait", "8",
            ], environment: stack.environment
        ).wait()
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("[WhatsApp dari Disdukcapil]\nSelamat datang di layanan Kartu Keluarga"))
        #expect(run.output.contains("Terima kasih, persetujuan Anda sudah kami catat."), "\(run.output)")
        #expect(run.output.contains("Permohonan KK karena KK Hilang dibuat dengan nomor KK-"))
        #expect(run.output.contains("Terima kasih, Surat Pernyataan Perubahan Elemen Data Kependudukan untuk permohonan KK-"))
        let stored = try await stack.pool.query("SELECT document_kind FROM media WHERE source = 'whatsapp'").rows
        #expect(try stored.map { try $0.decode("document_kind", as: String?.self) } == ["surat_pernyataan"])
        // Without the app secret it refuses, saying what to set.
        let refused = try ChildProcess.start("kk-dev", ["simulate", "--text", "halo"], environment: ["KK_WA_APP_SECRET": ""]).wait()
        #expect(refused.status != 0 && refused.output.contains("KK_WA_APP_SECRET is not set"))
    }

    @Test("`kk-dev sandbox --receipts-to` plays the applicant's phone: every message it takes comes back as a signed 'delivered' receipt")
    func sandboxReceipts() async throws {
        let stack = try await IntakeStack.start(receipts: true)
        defer { stack.stop() }
        let phone = "6281200000090"
        _ = try await stack.ask("halo", from: phone)
        let wamid = try #require(try await stack.sent().last { $0["to"] as? String == phone }?["wa_message_id"] as? String)
        let deadline = ContinuousClock.now + .seconds(20)
        var status: String?
        repeat {
            status = try await stack.pool.query("SELECT status FROM wa_message_status WHERE wa_message_id = \(wamid)").rows.first?
                .decode("status", as: String.self)
            if status == "delivered" { break }
            try await Task.sleep(for: .milliseconds(200))
        } while ContinuousClock.now < deadline
        #expect(status == "delivered")
    }

    /// Makes the sandbox fail its next `count` sends with `status`.
    static func fail(port: Int, status: Int, count: Int) async throws {
        let answer = try await HTTPExchange.send("POST", URL(string: "http://127.0.0.1:\(port)/_sandbox/fail?status=\(status)&count=\(count)")!)
        #expect(answer.status == 200)
    }

    static func waitForMessages(_ stack: IntakeStack, to phone: String, count: Int) async throws -> [[String: Any]] {
        var messages: [[String: Any]] = []
        for _ in 0..<150 {
            messages = try await stack.sent().filter { $0["to"] as? String == phone }
            if messages.count >= count { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(messages.count >= count)
        return messages
    }
}

/// Expected texts written out in full, as the applicant reads them.
enum IntakeExpectations {
    /// What `kk-intake reply` puts before the officer's words.
    static func replyHeading(_ number: String) -> String { "Pesan dari petugas layanan Disdukcapil tentang permohonan \(number):" }
    static func notFound(_ number: String) -> String {
        "Permohonan dengan nomor \(number) tidak ditemukan untuk nomor WhatsApp ini.\n"
            + "Periksa kembali nomornya, atau ketik STATUS untuk melihat semua permohonan Anda."
    }
}
