import Foundation
import KKDomain
import Testing

/// Issue 19 item 2: what applicants actually write, in Indonesian, Javanese
/// (ngoko and krama) and English, with typos, and the intent each must give.
@Suite("Understanding applicants: realistic phrasings and their intents")
struct ApplicantIntentTests {
    static let number = RequestNumber(date: CalendarDate(Date()), sequence: 12).description

    /// (what the applicant wrote, the intent it must give) with nothing in progress.
    static let idle: [(String, ApplicantIntent)] = [
        // Greetings alone: the menu.
        ("halo", .menu), ("Haloooo", .menu), ("hallo min", .menu), ("Assalamu'alaikum", .menu), ("assalamualaikum wr wb", .menu),
        ("selamat pagi", .menu), ("Selamat siang pak", .menu), ("P", .menu), ("permisi", .menu), ("menu", .menu), ("info", .menu),
        ("sugeng enjing", .menu), ("nuwun sewu", .menu), ("kulonuwun", .menu), ("punten", .menu), ("hi", .menu),
        ("Hello", .menu), ("good morning", .menu), ("mau tanya", .menu), ("", .menu),
        // Menu numbers.
        ("1", .choose(.dataChange)), ("2", .choose(.lost)), ("3", .choose(.damaged)), ("4", .statusAll), ("5", .cancel(number: nil)),
        // Lost, in one sentence with a greeting: the reason wins.
        ("selamat pagi, KK saya hilang", .choose(.lost)), ("halo min kk ku ilang", .choose(.lost)),
        ("Assalamualaikum, kartu keluarga saya hilang waktu pindahan", .choose(.lost)), ("kk hlang", .choose(.lost)),
        ("KK saya hilangg", .choose(.lost)), ("kehilangan kartu keluarga", .choose(.lost)), ("kk saya dicuri", .choose(.lost)),
        ("tas saya kecurian, kk ikut", .choose(.lost)), ("kk nya gak ketemu", .choose(.lost)), ("mau buat kk karena hilang", .choose(.lost)),
        ("ganti kk yang hilang", .choose(.lost)), ("kk kulo kelangan", .choose(.lost)), ("KK kula ical", .choose(.lost)),
        ("nuwun sewu, kk kula kecalan", .choose(.lost)), ("kk ku ora ketemu", .choose(.lost)), ("I lost my family card", .choose(.lost)),
        ("hello, my family card is missing", .choose(.lost)), ("KK stolen", .choose(.lost)), ("i cant find my KK", .choose(.lost)),
        ("kk saya raib", .choose(.lost)),
        // Damaged.
        ("kk saya rusak", .choose(.damaged)), ("selamat siang, kk rusak kena banjir", .choose(.damaged)), ("kk rsk", .choose(.damaged)),
        ("kartu keluarga sobek", .choose(.damaged)), ("kk saya robek jadi dua", .choose(.damaged)), ("kk basah dan luntur", .choose(.damaged)),
        ("kk terbakar", .choose(.damaged)), ("kk dimakan rayap", .choose(.damaged)), ("kk sudah tidak terbaca", .choose(.damaged)),
        ("kk kulo risak", .choose(.damaged)), ("kk ku suwek", .choose(.damaged)), ("kk ne teles", .choose(.damaged)),
        ("kk kobong", .choose(.damaged)), ("my family card is damaged", .choose(.damaged)), ("the KK got wet", .choose(.damaged)),
        ("KK torn", .choose(.damaged)), ("family card broken", .choose(.damaged)), ("kk lecek banget", .choose(.damaged)),
        ("halo, kk rusaq", .choose(.damaged)), ("kk pudar tulisannya", .choose(.damaged)),
        // Data change, and the events behind it.
        ("perubahan data", .choose(.dataChange)), ("mau ubah data kk", .choose(.dataChange)), ("mau rubah alamat", .choose(.dataChange)),
        ("merubah data KK", .choose(.dataChange)), ("anak saya baru lahir", .choose(.dataChange)), ("tambah anggota keluarga", .choose(.dataChange)),
        ("selamat pagi, saya mau masukkan anak ke kk", .choose(.dataChange)), ("bapak saya meninggal", .choose(.dataChange)),
        ("suami saya wafat bulan lalu", .choose(.dataChange)), ("saya baru menikah", .choose(.dataChange)), ("sudah cerai mau pisah kk", .choose(.dataChange)),
        ("pindah datang dari Sleman", .choose(.dataChange)), ("ganti pekerjaan di kk", .choose(.dataChange)), ("update pendidikan anak", .choose(.dataChange)),
        ("koreksi nama di kk", .choose(.dataChange)), ("nama saya salah ketik", .choose(.dataChange)), ("data salah, mohon perbaiki", .choose(.dataChange)),
        ("apdet kk", .choose(.dataChange)), ("halo, kk mau di update", .choose(.dataChange)), ("anak kulo lair", .choose(.dataChange)),
        ("bapak seda", .choose(.dataChange)), ("simbah tilar donya", .choose(.dataChange)), ("kula badhe ngewahi data kk", .choose(.dataChange)),
        ("arep ngowahi kk", .choose(.dataChange)), ("anakku rabi", .choose(.dataChange)), ("wis pegatan", .choose(.dataChange)),
        ("I want to update my family card", .choose(.dataChange)), ("we had a baby", .choose(.dataChange)),
        ("my father died", .choose(.dataChange)), ("I got married", .choose(.dataChange)), ("change of address, we moved", .choose(.dataChange)),
        ("please correct my name", .choose(.dataChange)), ("add my newborn to the family card", .choose(.dataChange)),
        ("hi, we need to add a member", .choose(.dataChange)), ("divorce", .choose(.dataChange)),
        // Status.
        ("status", .statusAll), ("cek", .statusAll), ("cek status kk saya", .statusAll), ("kk saya sudah jadi belum?", .statusAll),
        ("sampai mana permohonan saya", .statusAll), ("kapan selesai ya", .statusAll), ("progres permohonan", .statusAll),
        ("pun dados dereng?", .statusAll), ("wis dadi durung", .statusAll), ("check my request", .statusAll), ("track my application", .statusAll),
        ("halo, status kk hilang saya", .statusAll), ("\(number)", .status(number: number)), ("cek \(number.lowercased())", .status(number: number)),
        ("status \(number)", .status(number: number)),
        // Cancel.
        ("batal", .cancel(number: nil)), ("batalkan \(number)", .cancel(number: number)), ("cancel", .cancel(number: nil)),
        ("ga jadi", .cancel(number: nil)), ("gak jadi deh", .cancel(number: nil)), ("tidak jadi", .cancel(number: nil)),
        ("ora sida", .cancel(number: nil)), ("mboten sida", .cancel(number: nil)),
        // Not understood.
        ("berapa biayanya", .unknown), ("terima kasih", .unknown), ("asdfgh", .unknown),
    ]

    @Test("over a hundred phrasings with nothing in progress", arguments: idle.indices)
    func idlePhrasings(index: Int) {
        let (text, expected) = Self.idle[index]
        #expect(ApplicantIntent.parse(text, stage: .idle) == expected, "\"\(text)\"")
    }

    @Test("the table holds at least 100 phrasings")
    func tableSize() {
        #expect(Self.idle.count >= 100)
    }

    @Test("while documents are being collected, reason words start nothing new; greetings still bring the menu")
    func collecting() {
        #expect(ApplicantIntent.parse("kk saya hilang", stage: .collecting) == .unknown)
        #expect(ApplicantIntent.parse("2", stage: .collecting) == .unknown)
        #expect(ApplicantIntent.parse("halo", stage: .collecting) == .menu)
        #expect(ApplicantIntent.parse("status", stage: .collecting) == .statusAll)
    }

    @Test("a cancellation is confirmed with yes in any of the languages, anything else declines it")
    func confirmingCancel() {
        for yes in ["ya", "YA", "iya", "yes", "oke", "nggih", "inggih"] {
            #expect(ApplicantIntent.parse(yes, stage: .confirmingCancel) == .confirm, "\(yes)")
        }
        #expect(ApplicantIntent.parse("tidak", stage: .confirmingCancel) == .decline)
        #expect(ApplicantIntent.parse("batal", stage: .confirmingCancel) == .cancel(number: nil))
    }

    @Test("after the closing message a 1-5 answer is a score; other words move on")
    func rating() {
        #expect(ApplicantIntent.parse("5", stage: .rating) == .score(5))
        #expect(ApplicantIntent.parse("4 puas", stage: .rating) == .score(4))
        #expect(ApplicantIntent.parse("9", stage: .rating) == .unknown)
        #expect(ApplicantIntent.parse("kk saya rusak", stage: .rating) == .choose(.damaged))
    }

    @Test("a page of text is not read for an intent, even when a reason's word is in it")
    func longText() {
        let long = String(repeating: "bla ", count: 300) + "kk saya hilang"
        #expect(long.count > ApplicantIntent.longestCommand)
        #expect(ApplicantIntent.parse(long, stage: .idle) == .unknown)
        #expect(ApplicantIntent.parse(String(repeating: "x", count: 900) + " kk saya hilang", stage: .idle) == .choose(.lost))
    }

    @Test("English writers are recognised; Indonesian and Javanese stay the default")
    func language() {
        for english in ["I lost my family card", "hello, my family card is missing", "we had a baby", "please correct my name", "how can I check the status"] {
            #expect(ApplicantLanguage.of(english) == .english, "\(english)")
        }
        for local in ["halo", "hello", "kk saya hilang", "KK kula ical", "status", "hi min, kk saya rusak", "update kk", "ok"] {
            #expect(ApplicantLanguage.of(local) == .indonesian, "\(local)")
        }
    }

    /// (what the applicant wrote, the event it names; nil when it names none and the list is sent).
    static let events: [(String, ChangeEvent?)] = [
        ("anak saya baru lahir", .birth), ("selamat pagi, saya mau masukkan bayi ke kk", .birth), ("anak kulo lair", .birth),
        ("we had a baby", .birth), ("add my newborn to the family card", .birth),
        ("bapak saya meninggal", .death), ("suami saya wafat bulan lalu", .death), ("simbah tilar donya", .death), ("bapak seda", .death),
        ("my father died", .death), ("ibu saya meninggal saat melahirkan", .death),
        ("saya baru menikah", .marriage), ("anakku rabi", .marriage), ("I got married", .marriage),
        ("sudah cerai mau pisah kk", .divorce), ("wis pegatan", .divorce), ("divorce", .divorce), ("cerai setelah menikah 3 tahun", .divorce),
        ("pindah datang dari Sleman", .movingIn), ("kami pindahan dari Klaten", .movingIn), ("we moved in from Jakarta", .movingIn),
        ("pindah keluar ke Sleman", .movingOut), ("anak saya pindah ke Jakarta", .movingOut), ("moving out", .movingOut),
        ("koreksi nama di kk", .correction), ("nama saya salah ketik", .correction), ("data salah, mohon perbaiki", .correction),
        ("please correct my name", .correction), ("tanggal lahir keliru", .correction),
        ("ganti nama anak", .name), ("ubah nama sesuai putusan pengadilan", .name), ("change my name", .name),
        ("ganti agama", .religion), ("saya mualaf", .religion),
        ("update pendidikan anak", .education), ("anak sudah lulus kuliah", .education), ("ijazah baru", .education),
        ("ganti pekerjaan di kk", .occupation), ("bapak sudah pensiun", .occupation), ("new job", .occupation),
        ("perubahan data", nil), ("mau ubah data kk", nil), ("apdet kk", nil), ("pindah", nil), ("1", nil),
    ]

    @Test("the event behind a data change, read from the applicant's words", arguments: events.indices)
    func eventPhrasings(index: Int) {
        let (text, expected) = Self.events[index]
        #expect(ChangeEvent.mentioned(in: text) == expected, "\"\(text)\"")
    }

    @Test("answering the list of events: a number or a word picks one; another reason still works")
    func choosingEvent() {
        for event in ChangeEvent.allCases {
            #expect(ApplicantIntent.parse(String(event.menuNumber), stage: .choosingEvent) == .event(event))
        }
        #expect(ApplicantIntent.parse("kelahiran", stage: .choosingEvent) == .event(.birth))
        #expect(ApplicantIntent.parse("yang meninggal bapak saya", stage: .choosingEvent) == .event(.death))
        #expect(ApplicantIntent.parse("12", stage: .choosingEvent) == .unknown)
        #expect(ApplicantIntent.parse("eh kk saya hilang", stage: .choosingEvent) == .choose(.lost))
        #expect(ApplicantIntent.parse("status", stage: .choosingEvent) == .statusAll)
        #expect(ApplicantIntent.parse("halo", stage: .choosingEvent) == .menu)
    }

    @Test("while a document is sent page by page, 'lanjut' and its kin close it; only then")
    func documentComplete() {
        for done in ["lanjut", "LANJUT", "selesai", "sudah semua", "sudah lengkap", "next", "done", "wis", "sampun", "itu saja kak"] {
            #expect(ApplicantIntent.parse(done, stage: .collecting) == .documentComplete, "\(done)")
        }
        #expect(ApplicantIntent.parse("lanjut", stage: .idle) != .documentComplete)
        #expect(ApplicantIntent.parse("sudah jadi belum", stage: .collecting) == .statusAll)
        #expect(ApplicantIntent.parse("lanjut ke permohonan berikutnya ya pak", stage: .collecting) != .documentComplete)
        #expect(ApplicantIntent.captionCompletesDocument("halaman terakhir"))
        #expect(ApplicantIntent.captionCompletesDocument("buku nikah, sudah lengkap"))
        #expect(!ApplicantIntent.captionCompletesDocument("buku nikah hal 1"))
    }
}
