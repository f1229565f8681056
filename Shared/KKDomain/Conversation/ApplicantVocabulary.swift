/// The words and phrases applicants use for each intent, in Indonesian (with
/// everyday spellings and typos), Javanese (ngoko and krama) and English. Each
/// entry is matched as whole words after squeezing repeated letters, so
/// "hilangg" is "hilang" and "assalamu'alaikum" is "asalamualaikum".
enum ApplicantVocabulary {
    static let lost = phrases(
        // Indonesian
        "hilang", "ilang", "hlang", "hilng", "hilag", "hiang", "kehilangan", "hilangnya", "raib", "lenyap", "dicuri", "kecurian",
        "kemalingan", "tidak ketemu", "gak ketemu", "ga ketemu", "nggak ketemu", "tidak ditemukan", "entah di mana", "entah dimana",
        // Javanese: ngoko "ilang, kelangan, ora ketemu", krama "ical, kecalan, mboten pinanggih"
        "kelangan", "kilangan", "ical", "kecalan", "kicalan", "ora ketemu", "mboten pinanggih", "mboten ketemu",
        // English
        "lost", "lose", "missing", "misplaced", "stolen", "cant find", "can't find", "cannot find")

    static let damaged = phrases(
        // Indonesian
        "rusak", "rsk", "rusk", "rusaq", "ruksak", "sobek", "robek", "koyak", "lecek", "luntur", "basah", "kebasahan", "terbakar",
        "kebakar", "kebakaran", "kebanjiran", "kena banjir", "hancur", "remuk", "pudar", "tidak terbaca", "gak terbaca", "ga terbaca",
        "sudah jelek", "dimakan rayap", "rayap",
        // Javanese: ngoko "rusak, suwek, bosok, teles, kobong", krama "risak, sisah"
        "risak", "suwek", "bosok", "teles", "kobong", "ajur", "mboten saged diwaos", "ora iso diwoco",
        // English
        "damaged", "damage", "broken", "torn", "ripped", "wet", "burned", "burnt", "faded", "unreadable")

    static let dataChange = phrases(
        // Indonesian: change, correct, update, add or remove a member, and the events behind them
        "perubahan", "ubah", "rubah", "merubah", "mengubah", "diubah", "dirubah", "ganti", "ganti data", "ganti nama", "ganti alamat",
        "perbarui", "pembaruan", "pembaharuan", "memperbarui", "update", "updet", "apdet", "koreksi", "perbaiki", "perbaikan",
        "pembetulan", "salah data", "data salah", "datanya salah", "salah nama", "salah ketik", "tambah anggota", "menambah",
        "nambah", "tambah", "tambahkan", "masukkan anak", "masukin", "kurangi", "hapus anggota", "keluarkan",
        "lahir", "kelahiran", "melahirkan", "bayi", "anak baru", "meninggal", "kematian", "wafat", "almarhum", "almarhumah",
        "nikah", "menikah", "pernikahan", "perkawinan", "kawin", "cerai", "perceraian", "bercerai", "pindah", "pindahan",
        "pindah datang", "pindah keluar", "pendidikan", "pekerjaan", "ganti agama", "pindah agama", "mualaf", "ijazah", "wisuda",
        "skpwni", "buku nikah", "pensiun", "ubah nama", "salah tulis", "keliru", "pisah kk", "pecah kk", "numpang kk",
        // Javanese: ngoko "owah, ngowahi, ganti, nambahi, lair, mati, rabi, pegatan, boyong", krama "ewah, gantos, lahir, seda, tilar donya, palakrama"
        "owah", "ngowahi", "diowahi", "ewah", "ngewahi", "dipunewahi", "gantos", "nggantos", "ngganti", "dandani", "mbenerke",
        "mbenerake", "nambahi", "lair", "laire", "babaran", "mati", "seda", "tilar donya", "rabi", "palakrama", "pegatan",
        "pisahan", "boyongan", "ngalih",
        // English
        "change", "changes", "update", "correct", "correction", "fix", "edit", "wrong", "add a", "add my", "to add", "remove", "birth", "born", "baby",
        "newborn", "death", "died", "passed away", "marriage", "married", "wedding", "divorce", "divorced", "move", "moved",
        "moving")

    /// The words of each data-change event, in the order they are tried: a
    /// correction first (it names a mistake: "tanggal lahir keliru" is no
    /// birth, "nama salah ketik" no change of name), a death or divorce before
    /// a marriage or birth ("meninggal saat melahirkan").
    /// A bare "pindah" names no direction and gets the list of events.
    static let events: [(ChangeEvent, [[String]])] = [
        (
            .correction,
            phrases(
                "koreksi", "salah ketik", "salah tulis", "salah nama", "data salah", "datanya salah", "salah data", "keliru", "perbaiki",
                "perbaikan", "pembetulan", "typo", "mbenerke", "mbenerake", "lepat", "wrong", "correct", "correction", "misspelled")
        ),
        (
            .death,
            phrases(
                "meninggal", "meninggal dunia", "kematian", "wafat", "almarhum", "almarhumah", "alm", "mati", "seda", "tilar donya",
                "pejah", "sampun seda", "died", "death", "passed away", "deceased", "dead")
        ),
        (.divorce, phrases("cerai", "perceraian", "bercerai", "cerai hidup", "pegatan", "pegat", "divorce", "divorced")),
        (
            .marriage,
            phrases(
                "nikah", "menikah", "pernikahan", "perkawinan", "kawin", "buku nikah", "rabi", "palakrama", "nikahan", "married",
                "marriage", "wedding", "got married")
        ),
        (
            .birth,
            phrases(
                "lahir", "kelahiran", "melahirkan", "bayi", "anak baru", "baru lahir", "lair", "laire", "babaran", "miyos", "birth",
                "born", "baby", "newborn")
        ),
        (
            .movingIn,
            phrases(
                "pindah datang", "pindahan dari", "pindah dari", "datang dari", "pindah masuk", "masuk kk", "boyongan", "moving in",
                "moved in", "moved here", "move in")
        ),
        (
            .movingOut,
            phrases(
                "pindah keluar", "pindah ke luar", "pindah ke", "keluar dari kk", "pindah metu", "ngalih", "moving out", "moved out",
                "move out", "moved to")
        ),
        (
            .name,
            phrases(
                "ganti nama", "ubah nama", "rubah nama", "perubahan nama", "ganti jeneng", "ngganti jeneng", "gantos nami", "change my name",
                "name change", "change of name", "new name")
        ),
        (.religion, phrases("agama", "ganti agama", "pindah agama", "mualaf", "muallaf", "religion", "convert", "converted")),
        (
            .education,
            phrases(
                "pendidikan", "ijazah", "lulus", "wisuda", "sarjana", "kuliah", "sekolah", "education", "graduated", "graduation", "degree",
                "diploma")
        ),
        (
            .occupation,
            phrases(
                "pekerjaan", "kerja", "kerjaan", "profesi", "pensiun", "gawean", "pedamelan", "nyambut gawe", "occupation", "job", "work",
                "profession", "retired")
        ),
    ]

    /// "lanjut", "sudah semua": the document being sent page by page is complete.
    static let documentComplete = phrases(
        "lanjut", "lanjutkan", "selesai", "sudah selesai", "sudah lengkap", "sudah semua", "sudah itu saja", "sudah cukup", "cukup",
        "itu saja", "lengkap", "next", "done", "finished", "that's all", "thats all", "wis", "wis rampung", "wis kabeh", "sampun",
        "sampun rampung", "rampung", "terus")

    /// A caption on the last page of a document.
    static let lastPage = phrases("terakhir", "halaman terakhir", "hal terakhir", "last page", "last one", "pungkasan")

    static let status = phrases(
        "status", "cek", "cek status", "progres", "progress", "sampai mana", "sampai dimana", "sudah jadi", "udah jadi",
        "sdh jadi", "sudah selesai", "kapan jadi", "kapan selesai", "lacak", "check", "track", "tracking",
        // Javanese
        "pun dados", "sampun dados", "wis dadi", "uwis dadi", "kapan dadi", "kapan rampung", "wis rampung")

    static let cancel = phrases(
        "batal", "batalkan", "cancel", "ga jadi", "gak jadi", "nggak jadi", "enggak jadi", "tidak jadi", "tdk jadi",
        "ora sida", "ora sido", "mboten sida", "mboten sido", "mboten siyos", "ora siido")

    static let yes = phrases("ya", "y", "iya", "iyaa", "yes", "ok", "oke", "okay", "setuju", "betul", "benar", "nggih", "inggih", "iyo", "yo", "he'e")

    static let greetings = phrases(
        "menu", "halo", "hallo", "helo", "hai", "hi", "hello", "hey", "assalamualaikum", "assalamu'alaikum", "salam", "mulai",
        "start", "bantuan", "help", "info", "informasi", "pagi", "siang", "sore", "malam", "selamat", "permisi", "p", "min",
        "admin", "tanya", "mau tanya", "sugeng", "sugeng enjing", "nuwun sewu", "kulonuwun", "punten", "good morning",
        "good afternoon", "good evening", "morning")

    /// Each phrase split into squeezed words.
    static func phrases(_ list: String...) -> [[String]] {
        list.map { ApplicantWords($0).words }
    }
}

extension ApplicantVocabulary {
    /// Agreement to the privacy notice: the message starts with one of these.
    static let agree = phrases(
        "setuju", "saya setuju", "sudah setuju", "ya setuju", "iya setuju", "ya", "iya", "y", "ok", "oke", "okay", "baik", "bersedia",
        "agree", "i agree", "yes", "sarujuk", "nggih", "inggih", "sagah")

    /// Refusal of the privacy notice: the message starts with one of these.
    static let refuse = phrases(
        "tidak", "tidak setuju", "tdk", "gak", "ga", "nggak", "enggak", "tolak", "menolak", "no", "disagree", "i disagree",
        "ora", "mboten", "boten")
}
