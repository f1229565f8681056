import Foundation
import KKDomain
import KKStore

/// Every message intake sends an applicant, in plain Indonesian. Each one
/// names the request it is about and says what to do next.
enum IntakeTexts {
    static let menuList = """
        Balas dengan angka pilihan Anda:
        1. Perubahan data KK (kelahiran, kematian, pindah, menikah, dan lainnya)
        2. KK hilang
        3. KK rusak
        4. Cek status permohonan
        5. Batalkan permohonan
        """

    static var greeting: String {
        """
        Selamat datang di layanan Kartu Keluarga (KK) \(OfficeProfile.current.officeShortName) melalui WhatsApp.
        \(menuList)
        """
    }

    /// Outside the office's hours (evening, weekend, holiday, cuti bersama):
    /// the message is kept, and the applicant learns when officers take it up.
    static func officeClosed(at now: Date, calendar: OfficeCalendar) -> String? {
        guard !calendar.isOpen(at: now) else { return nil }
        let today = calendar.holiday(on: now).map { "Hari ini libur (\($0.name)). " } ?? ""
        let resumes = calendar.nextOpening(after: now).map { " Petugas memprosesnya mulai \(OfficeCalendar.indonesianMoment($0))." } ?? ""
        return """
            \(today)Saat ini di luar jam layanan kantor (\(calendar.hoursDescription)). Pesan dan dokumen Anda tetap kami terima dan tersimpan.\(resumes)
            Standar waktu setiap langkah dihitung dalam jam layanan.
            """
    }

    static let notUnderstood = "Maaf, kami belum memahami pesan Anda.\n\(menuList)"

    /// What happened to the family, for a data change: the list of events, by number.
    static let eventMenu: String = {
        let list = ChangeEvent.allCases.map { "\($0.menuNumber). \($0.indonesianName)" }.joined(separator: "\n")
        return """
            Perubahan data apa yang terjadi di keluarga Anda? Balas dengan angka pilihan:
            \(list)
            Dokumen yang perlu dikirim bergantung pada pilihan ini. Ketik MENU untuk kembali.
            """
    }()

    static let eventFirst = """
        Berkas ini belum kami gunakan: pilih dulu perubahan data yang terjadi, lalu kirim dokumennya.
        \(eventMenu)
        """

    /// The request's number and exactly the documents it needs, the first one to send now.
    static func started(_ request: RequestRecord, required: [DocumentKind]) -> String {
        let list = required.enumerated().map { offset, kind in
            "\(offset + 1). \(kind.indonesianName)" + (kind.mayHaveSeveralPages ? " (semua halaman)" : "")
        }.joined(separator: "\n")
        let pages =
            required.contains(where: \.mayHaveSeveralPages)
            ? "\nDokumen yang lebih dari satu halaman: kirim foto setiap halamannya, lalu balas LANJUT." : ""
        return """
            Permohonan KK karena \(request.purpose) dibuat dengan nomor \(request.number).
            Dokumen yang diperlukan:
            \(list)\(pages)
            \(identityQuestion)
            """
    }

    // MARK: who is asking

    static let identityQuestion = """
        Sebelum mengirim dokumen, tuliskan NIK Anda sendiri (16 angka di KTP-el) dan nomor KK keluarga bila ada, misalnya:
        NIK 3402xxxxxxxxxxxx KK 3402xxxxxxxxxxxx
        Bila KK hilang dan nomornya tidak diketahui, cukup NIK. PDF KK hanya dikirim ke anggota keluarga yang identitasnya sesuai.
        """

    static func askIdentity(number: String) -> String {
        "Permohonan \(number) menunggu identitas Anda.\n" + identityQuestion + "\nKetik MENU untuk pilihan lain atau BATAL untuk membatalkan."
    }

    static func identityFirst(number: String) -> String {
        "Berkas ini belum kami gunakan: untuk permohonan \(number), tuliskan dulu NIK Anda, lalu kirim dokumennya.\n" + identityQuestion
    }

    static func identityNotRead(_ problem: ApplicantIdentity.ReadError, number: String) -> String {
        let why =
            switch problem {
            case .noNumber: "Kami tidak menemukan NIK (16 angka) dalam pesan Anda."
            case let .wrongLength(count): "Nomor yang Anda tulis \(count) angka; NIK dan nomor KK masing-masing 16 angka."
            case let .invalidNIK(error): "NIK belum sah: \(error)"
            case let .invalidKKNumber(error): "Nomor KK belum sah: \(error)"
            case .tooManyNumbers: "Pesan Anda berisi lebih dari dua nomor; tuliskan hanya NIK Anda dan nomor KK."
            }
        return "\(why)\nPeriksa KTP-el Anda, lalu tulis lagi untuk permohonan \(number), misalnya: NIK 3402xxxxxxxxxxxx KK 3402xxxxxxxxxxxx"
    }

    /// The identity is recorded: matched, or left for the service officer. The reply never
    /// says why it did not match (a stranger must not learn who is in which family).
    static func identityRecorded(_ verdict: IdentityVerdict, _ identity: ApplicantIdentity, number: String, next: [DocumentKind]) -> String {
        let first = next.first.map { "Silakan kirim \($0.applicantInstruction) sekarang (foto atau PDF)." } ?? ""
        switch verdict {
        case .verified:
            return """
                Terima kasih. NIK \(identity.nik.masked) sesuai dengan data keluarga di Disdukcapil untuk permohonan \(number).
                \(first)
                """
        case .mismatch:
            return """
                Terima kasih, NIK \(identity.nik.masked) kami catat untuk permohonan \(number), tetapi belum dapat kami cocokkan otomatis dengan data keluarga.
                Petugas akan memeriksanya saat membuka permohonan (bila perlu, petugas menghubungi Anda). Permohonan tetap berjalan.
                \(first)
                """
        }
    }

    // MARK: consent (UU 27/2022)

    /// Raised when the notice's content changes: applicants agree to a version.
    static let privacyNoticeVersion = 1

    static func privacyNotice(_ retention: RetentionSchedule) -> String {
        let office = OfficeProfile.current
        return """
            Selamat datang di layanan Kartu Keluarga (KK) \(office.officeShortName) melalui WhatsApp.
            Pemberitahuan privasi (UU 27/2022 tentang Pelindungan Data Pribadi):
            - Yang kami kumpulkan: nomor WhatsApp, pesan, foto atau berkas dokumen yang Anda kirim, NIK dan data keluarga Anda.
            - Untuk apa: hanya untuk memproses permohonan KK Anda sesuai SOP \(office.officeShortName) (UU 24/2013 tentang Administrasi Kependudukan).
            - Berapa lama: \(retention.indonesianLines.joined(separator: " "))
            - Pertanyaan, akses atau koreksi data Anda: \(office.dataProtectionContact).
            Sebelum Anda setuju, kami hanya menyimpan nomor WhatsApp Anda.
            Balas SETUJU untuk melanjutkan, atau TIDAK bila tidak setuju.
            """
    }

    static let fileNotKeptBeforeConsent = "Foto atau berkas yang Anda kirim belum kami simpan. Kirim ulang setelah membalas SETUJU."

    static let consentRecorded = "Terima kasih, persetujuan Anda sudah kami catat."

    static let consentRefused = """
        Baik, Anda tidak setuju. Kami tidak menyimpan pesan maupun dokumen Anda, sehingga permohonan KK lewat WhatsApp tidak dapat diproses.
        Anda tetap dapat mengurus KK langsung di kantor Disdukcapil. Bila berubah pikiran, balas SETUJU kapan saja.
        """

    static let englishConsentNote =
        "(English) Please read the privacy notice below (in Indonesian) and reply SETUJU (I agree) to continue, or TIDAK (I do not agree)."

    static func sendAgainAfterConsent(hint: String?) -> String {
        "Foto atau berkas ini tiba sebelum persetujuan Anda tercatat, jadi belum kami simpan. Mohon kirim ulang." + (hint.map { "\n\($0)" } ?? "")
    }

    /// One page of a document of several pages: send the next, or say it is complete.
    static func pageReceived(_ kind: DocumentKind, page: Int, number: String, next: DocumentKind?) -> String {
        let then = next.map { "kami lanjutkan ke \($0.indonesianName)" } ?? "dokumen Anda kami anggap lengkap"
        return """
            Halaman \(page) \(kind.indonesianName) untuk permohonan \(number) sudah kami terima.
            Masih ada halaman lain? Kirim fotonya sekarang. Sudah semua? Balas LANJUT, lalu \(then).
            """
    }

    static func received(_ kind: DocumentKind, number: String, stillMissing: [DocumentKind]) -> String {
        let names = stillMissing.map(\.indonesianName).joined(separator: ", ")
        return """
            Terima kasih, \(kind.indonesianName) untuk permohonan \(number) sudah kami terima.
            Masih diperlukan: \(names).
            Silakan kirim \(stillMissing[0].applicantInstruction).
            """
    }

    /// SOP 1 is done: the number to keep and the time standard of every step ahead.
    static func complete(_ request: RequestRecord) -> String {
        let steps = upcomingSteps(after: .s1, reason: request.reason)
            .map { "- \($0.title): \(minutes($0.timeStandard))" }.joined(separator: "\n")
        return """
            Dokumen permohonan \(request.purpose) Anda sudah lengkap dan kami terima. Terima kasih.
            Nomor permohonan: \(request.number)
            Simpan nomor ini. Ketik nomor tersebut atau STATUS kapan saja untuk melihat perkembangannya.
            Langkah berikutnya dan standar waktunya (jam kerja):
            \(steps)
            KK yang sudah ditandatangani secara elektronik akan dikirim ke WhatsApp ini sebagai PDF.
            """
    }

    static func resubmitted(number: String) -> String {
        """
        Terima kasih, dokumen yang diminta untuk permohonan \(number) sudah lengkap.
        Permohonan Anda kembali masuk antrean petugas untuk dibuka (standar waktu \(minutes(SOPStep.s2.timeStandard))). Ketik STATUS untuk melihat perkembangannya.
        """
    }

    static func returned(_ event: RequestReturned, reason: RequestReason, documents: [DocumentKind], switchHint: Bool) -> String {
        let verdict = event.kind == .incomplete ? "BELUM LENGKAP" : "BELUM VALID"
        let list = documents.enumerated().map { "\($0.offset + 1). \($0.element.applicantInstruction)" }.joined(separator: "\n")
        let how =
            switchHint
            ? "Setelah permohonan yang sedang Anda lengkapi selesai, ketik \(event.requestNumber) lalu kirim dokumen di atas."
            : "Kirim dokumen di atas di sini; permohonan akan diproses kembali setelah lengkap."
        return """
            Permohonan \(event.requestNumber) (\(reason.indonesianName)) dikembalikan petugas: \(verdict).
            Alasan petugas: \(event.reason)
            Mohon kirim ulang:
            \(list)
            \(how)
            """
    }

    static func opened(number: String, reason: RequestReason) -> String {
        let next = upcomingSteps(after: .s2, reason: reason).first!
        return """
            Permohonan \(number) sudah dibuka petugas dan sedang diproses.
            Langkah berikutnya: \(next.title) (standar waktu \(minutes(next.timeStandard))).
            """
    }

    static func waitingFor(number: String, pending: [DocumentKind], pagesOfFirst: Int = 0) -> String {
        let send =
            pagesOfFirst > 0
            ? "\(pagesOfFirst) halaman \(pending[0].indonesianName) sudah diterima. Kirim halaman berikutnya, atau balas LANJUT bila sudah semua."
            : "Kirim \(pending[0].applicantInstruction) di sini (foto atau PDF)."
        return """
            Permohonan \(number) masih menunggu: \(pending.map(\.indonesianName).joined(separator: ", ")).
            \(send)
            Ketik MENU untuk pilihan lain, STATUS untuk cek status, atau BATAL untuk membatalkan.
            """
    }

    static func unfinishedRequest(_ request: RequestRecord, pending: [DocumentKind], identified: Bool) -> String {
        let next =
            identified
            ? "kirim \(pending.first?.applicantInstruction ?? "dokumen yang kurang")" : "tuliskan NIK Anda (16 angka di KTP-el) dan nomor KK bila ada"
        return """
            Anda masih punya permohonan \(request.number) (\(request.purpose)) yang belum lengkap.
            Lengkapi dulu (\(next)), atau ketik BATAL untuk membatalkannya, sebelum membuat permohonan baru.
            """
    }

    static let nothingToAttach = """
        Saat ini tidak ada permohonan Anda yang sedang menunggu dokumen, jadi berkas ini belum kami gunakan.
        Untuk permohonan baru, pilih layanan lebih dulu, lalu kirim dokumennya.
        \(menuList)
        """

    /// The one English line an English writer gets before the Indonesian reply.
    static func englishNote(for intent: ApplicantIntent) -> String {
        switch intent {
        case .choose(let reason):
            let service =
                switch reason {
                case .dataChange: "a change of family-card data"
                case .lost: "a replacement for a lost family card"
                case .damaged: "a replacement for a damaged family card"
                }
            return "(English) Noted: \(service). The steps below are in Indonesian; send each document as a photo or PDF when it is named."
        case .event:
            return "(English) Noted. The steps below are in Indonesian; send each document as a photo or PDF when it is named."
        case .statusAll, .status:
            return "(English) The status of your requests is below, in Indonesian."
        default:
            return "(English) This service answers in Indonesian. Reply 1 to change family-card data, 2 for a lost card, "
                + "3 for a damaged card, 4 for the status of your request."
        }
    }

    /// What to send instead of a message the office cannot take, by WhatsApp's type for it.
    static func unsupported(_ whatsappType: String?, hint: String?) -> String {
        let first =
            switch whatsappType {
            case "audio", "voice":
                "Maaf, pesan suara belum dapat kami dengarkan. Tuliskan keperluan Anda dalam pesan teks (misalnya \"KK hilang\" atau \"status\")."
            case "sticker":
                "Terima kasih atas stikernya. Untuk permohonan KK, tuliskan keperluan Anda dalam pesan teks, atau kirim dokumen sebagai foto (JPG/PNG) atau PDF."
            case "location":
                "Maaf, lokasi tidak kami perlukan. Alamat Anda kami baca dari dokumen; kirim dokumennya sebagai foto (JPG/PNG) atau PDF."
            case "video":
                "Maaf, video tidak dapat kami terima. Kirim dokumen sebagai foto (JPG/PNG) atau PDF, satu dokumen per pesan."
            case "contacts":
                "Maaf, kontak tidak dapat kami proses. Tuliskan keperluan Anda dalam pesan teks."
            default:
                "Maaf, kami hanya dapat menerima pesan teks, foto (JPG/PNG), atau dokumen PDF."
            }
        return first + (hint.map { "\n\($0)" } ?? "")
    }

    static func wrongFileType(_ type: String, hint: String?) -> String {
        "Maaf, berkas jenis \(type) tidak dapat kami terima. Kirim foto (JPG/PNG) atau PDF." + (hint.map { "\n\($0)" } ?? "")
    }

    static let rateLimited = """
        Mohon maaf, pesan Anda terlalu banyak dalam satu menit sehingga sebagian belum kami baca. \
        Tunggu sekitar satu menit, lalu kirim lagi pesan atau foto yang belum mendapat balasan.
        """

    static let quotaExceeded = """
        Mohon maaf, berkas dari nomor ini hari ini sudah melebihi batas penyimpanan harian, jadi berkas terakhir tidak kami simpan. \
        Kirim lagi besok, atau datang ke kantor Disdukcapil bila mendesak.
        """

    static func mediaUnavailable(hint: String?) -> String {
        "Maaf, foto atau berkas yang baru Anda kirim tidak dapat kami ambil dari WhatsApp. Mohon kirim ulang foto atau berkas tersebut."
            + (hint.map { "\n\($0)" } ?? "")
    }

    static func tooLarge(limitBytes: Int?, hint: String?) -> String {
        let limit = limitBytes.map { "\(max(1, $0 / (1024 * 1024))) MB" } ?? "batas ukuran"
        return "Maaf, berkas Anda terlalu besar dan tidak dapat kami simpan (maksimal \(limit)). "
            + "Kirim ulang sebagai foto biasa (bukan dokumen asli kamera) atau PDF yang lebih kecil."
            + (hint.map { "\n\($0)" } ?? "")
    }

    // MARK: status

    static let noRequests = "Anda belum memiliki permohonan KK.\n\(menuList)"

    static func notFound(_ number: String) -> String {
        """
        Permohonan dengan nomor \(number) tidak ditemukan untuk nomor WhatsApp ini.
        Periksa kembali nomornya, atau ketik STATUS untuk melihat semua permohonan Anda.
        """
    }

    static func statusList(_ requests: [RequestRecord]) -> String {
        let lines = requests.map { "- \($0.number) (\($0.purpose)): \($0.state.indonesianName), sejak \(WIBTime.format($0.stateEnteredAt))" }
        return "Permohonan Anda:\n\(lines.joined(separator: "\n"))\nKetik nomor permohonan untuk rinciannya."
    }

    static func status(_ request: RequestRecord, pending: [DocumentKind]) -> String {
        var lines = [
            "Permohonan \(request.number) (\(request.purpose))",
            "Tahap saat ini: \(request.state.indonesianName)",
            "Sejak: \(WIBTime.format(request.stateEnteredAt))",
        ]
        switch request.state {
        case .collectingDocuments, .returnedIncomplete, .returnedInvalid:
            if let note = request.lastNote, request.state != .collectingDocuments { lines.append("Alasan petugas: \(note)") }
            if !pending.isEmpty {
                lines.append("Berikutnya: Anda (pemohon) mengirim \(pending.map(\.indonesianName).joined(separator: ", ")).")
            }
        case .archived:
            lines.append("Permohonan ini sudah selesai. PDF KK sudah dikirim ke WhatsApp ini.")
        case .cancelled:
            lines.append("Permohonan ini sudah dibatalkan.")
        default:
            if let next = upcomingSteps(after: request.state.reachedStep ?? .s1, reason: request.reason).first {
                lines.append("Berikutnya: \(next.title), oleh \(next.actor.indonesianName) (standar waktu \(minutes(next.timeStandard))).")
            }
        }
        return lines.joined(separator: "\n")
    }

    // MARK: the office's steps

    /// SOP 4 or 6 is done: where the request stands and the step ahead, with its time standard.
    static func progressed(_ request: RequestRecord, step: SOPStep) -> String {
        let done =
            step == .s4
            ? "Data permohonan \(request.number) sudah disiapkan petugas dan diajukan untuk dicetak."
            : "Draft KK permohonan \(request.number) sudah diverifikasi oleh Kasi/Kabid."
        guard let next = upcomingSteps(after: step, reason: request.reason).first else { return done }
        return """
            \(done)
            Berikutnya: \(next.title) (standar waktu \(minutes(next.timeStandard)), jam kerja).
            Ketik \(request.number) kapan saja untuk melihat statusnya.
            """
    }

    /// SOP 7 is done (the PDF follows from kk-deliver, possibly before this message).
    static func signed(number: String) -> String {
        """
        KK untuk permohonan \(number) sudah ditandatangani secara elektronik oleh Kepala Dinas.
        PDF KK dikirim ke WhatsApp ini; simpan dan cetak sesuai petunjuk yang menyertainya.
        """
    }

    /// SOP 10 is done: the request is closed; when the conversation is free, the 1-5 question of the SKM.
    static func closed(number: String, askScore: Bool) -> String {
        let done = "Permohonan \(number) sudah selesai dan dokumennya diarsipkan. Terima kasih telah menggunakan layanan KK lewat WhatsApp."
        guard askScore else { return done }
        return """
            \(done)
            Bagaimana penilaian Anda atas layanan ini? Balas dengan satu angka:
            1 = sangat tidak puas, 2 = tidak puas, 3 = cukup, 4 = puas, 5 = sangat puas.
            """
    }

    static func scored(_ score: Int, number: String) -> String {
        "Terima kasih, penilaian Anda (\(score)) untuk permohonan \(number) sudah kami catat. Ketik MENU bila memerlukan layanan lain."
    }

    // MARK: cancel

    static func confirmCancel(_ request: RequestRecord) -> String {
        """
        Anda akan membatalkan permohonan \(request.number) (\(request.purpose)), tahap: \(request.state.indonesianName).
        Balas YA untuk membatalkan, atau pesan lain untuk tidak jadi.
        """
    }

    static func chooseToCancel(_ requests: [RequestRecord]) -> String {
        let lines = requests.map { "- \($0.number) (\($0.purpose)): \($0.state.indonesianName)" }
        return "Permohonan mana yang ingin dibatalkan? Balas BATAL diikuti nomornya, misalnya BATAL \(requests[0].number).\n"
            + lines.joined(separator: "\n")
    }

    static let nothingToCancel = "Tidak ada permohonan Anda yang dapat dibatalkan. Permohonan yang sudah ditandatangani tidak dapat dibatalkan."

    static func cannotCancel(_ request: RequestRecord) -> String {
        "Permohonan \(request.number) tidak dapat dibatalkan karena tahapnya: \(request.state.indonesianName)."
    }

    static func cancelled(number: String) -> String {
        "Permohonan \(number) sudah dibatalkan. Ketik MENU bila ingin membuat permohonan baru."
    }

    static let cancelDeclined = "Baik, permohonan tidak dibatalkan.\n\(menuList)"

    // MARK: helpers

    /// The SOP steps still ahead after `step` (a lost KK has no data entry).
    static func upcomingSteps(after step: SOPStep, reason: RequestReason) -> [SOPStep] {
        SOPStep.allCases.filter { $0 > step && $0 != .s9 && (reason.hasDataEntry || $0 != .s3) }
    }

    static func minutes(_ duration: Duration) -> String {
        "\(duration.components.seconds / 60) menit"
    }
}
