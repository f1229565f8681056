import Crypto
import Foundation
import Hex
import KKDomain
import KKLogging
import KKStore
import KKTesting
import Kafka
import Postgres
import Testing

/// Issue 9, "bad input at every door", the officers': every invalid argument of
/// an officer CLI exits non-zero with a message in Indonesian saying what to do,
/// and no request changes.
@Suite("Bad input at the officer CLIs: each refused with a message in Indonesian, no request changed", .serialized)
struct BadOfficerInputTests {
    @Test(
        "invalid officer CLI arguments: each exits non-zero with a message in Indonesian saying what to do (or a usage error), no crash, and no request changes"
    )
    func officerArguments() async throws {
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("kk-arsip-\(UUID().uuidString.prefix(8))")
        let targets = ["server", "hdd", "flash"].map { "\($0)=\(archive.appendingPathComponent($0).path)" }.joined(separator: ",")
        let stack = try await SigningFlowTests.start(
            services: ["kk-entry", "kk-verify", "kk-sign", "kk-deliver", "kk-archive"], extra: ["KK_ARCHIVE_TARGETS": targets])
        defer { Records.stop(stack.daemons) }
        let family = try await SigningFlowTests.kk(stack, 2)
        let head = try #require(family.head)
        // S: complete, waiting for the service officer. E: opened and taken by siti, its draft started.
        let submitted = try await stack.completeRequest(.damaged, from: "6281500000021")
        let entry = try await stack.completeRequest(.dataChange, from: "6281500000022", as: family)
        #expect(try stack.officer("siti", ["open", entry]).status == 0)
        _ = try await stack.waitInQueue(entry, officer: "siti", tool: "kk-entry")
        let taken = try stack.officer("siti", ["take", entry, "--kk", family.kkNumber.value], tool: "kk-entry")
        #expect(taken.status == 0, "\(taken.output)")
        let before = try await Records.requests(stack.pool)
        let auditBefore = try await TestStack.count(
            "SELECT count(*)::bigint AS n FROM audit_log WHERE outcome = 'refused' AND command <> 'login'", in: stack.pool)

        let notFound = "tidak ditemukan. Periksa nomor permohonan (contoh: KK-"
        let badNumbers = ["KK-2026-1", "'; DROP TABLE requests; --", ""]
        let submittedState = RequestState.submitted.indonesianName
        var cases: [CLICase] = []
        // Malformed request numbers, each CLI with the role it needs.
        for number in badNumbers {
            cases += [
                CLICase("kk-intake", "siti", ["open", number], expect: ["Permohonan '\(number)' \(notFound)"]),
                CLICase("kk-entry", "siti", ["take", number, "--kk", family.kkNumber.value], expect: ["Permohonan '\(number)' \(notFound)"]),
                CLICase("kk-verify", "bambang", ["approve", number], expect: ["Permohonan '\(number)' \(notFound)"]),
                CLICase(
                    "kk-sign", "wahyuni", ["preview", number, "--out", archive.appendingPathComponent("p.pdf").path],
                    expect: ["Permohonan '\(number)' \(notFound)"]),
                CLICase("kk-deliver", "joko", ["resend", number], expect: ["Permohonan '\(number)' \(notFound)"]),
                CLICase(
                    "kk-archive", "joko", ["restore", number, "--out", archive.appendingPathComponent("pulih").path],
                    expect: ["Permohonan '\(number)' \(notFound)"]),
                CLICase("kk-admin", nil, ["request", "show", number], expect: ["Permohonan '\(number)' \(notFound)"]),
            ]
        }
        // Unknown flags and missing arguments: ArgumentParser's usage error, before anything is touched.
        cases += [
            CLICase("kk-intake", "siti", ["open", submitted, "--paksa"], expect: ["Error: Unknown option '--paksa'", "Usage: kk-intake open"]),
            CLICase("kk-entry", "siti", ["submit", entry, "--tanpa-cek"], expect: ["Error: Unknown option '--tanpa-cek'", "Usage: kk-entry submit"]),
            CLICase("kk-verify", "bambang", ["approve", submitted, "--semua"], expect: ["Error: Unknown option '--semua'", "Usage: kk-verify approve"]),
            CLICase("kk-sign", "wahyuni", ["sign", submitted, "--tanpa-kunci"], expect: ["Error: Unknown option '--tanpa-kunci'", "Usage: kk-sign sign"]),
            CLICase("kk-deliver", "joko", ["resend", submitted, "--ulang"], expect: ["Error: Unknown option '--ulang'", "Usage: kk-deliver resend"]),
            CLICase(
                "kk-archive", "joko", ["restore", submitted, "--out", "/tmp/x", "--timpa"],
                expect: ["Error: Unknown option '--timpa'", "Usage: kk-archive restore"]),
            CLICase(
                "kk-admin", nil, ["request", "show", submitted, "--lengkap"], expect: ["Error: Unknown option '--lengkap'", "Usage: kk-admin request show"]),
            CLICase(
                "kk-intake", "siti", ["return", submitted, "--reason", "Foto buram"],
                expect: ["--missing wajib: sebutkan dokumen yang harus dikirim ulang, misalnya --missing surat_pernyataan.", "Usage: kk-intake return"]),
            CLICase("kk-admin", nil, ["deadletter", "retry", "abc"], expect: ["'abc' bukan nomor pesan gagal; lihat `kk-admin deadletter list`."]),
        ]
        // kk-entry enter/take with values the register refuses: the column and the rule named, nothing saved.
        // (The service's refusals mask the NIK and KK numbers they name, as every error text does.)
        let masked = PersonalDataMasker.mask
        cases += [
            CLICase(
                "kk-entry", "siti", ["enter", entry, "--member", "12345", "--set", "jenis_pekerjaan=GURU"],
                expect: [
                    "Data tidak disimpan; perbaiki lalu ulangi:",
                    "tidak ada anggota dengan NIK 12345 di KK \(masked(family.kkNumber.value)). Anggotanya: \(masked(head.nik.value))",
                ]),
            CLICase(
                "kk-entry", "siti", ["enter", entry, "--member", head.nik.value, "--set", "warna_favorit=BIRU"],
                expect: ["Data tidak disimpan", "warna_favorit (anggota 1", "kolom anggota tidak dikenal. Kolom yang ada: nama_lengkap"]),
            CLICase(
                "kk-entry", "siti", ["enter", entry, "--member", head.nik.value, "--set", "golongan_darah=Z"],
                expect: ["Data tidak disimpan", "golongan_darah (anggota 1", "'Z' bukan nilai yang sah. Pilihan: A; B; AB; O"]),
            CLICase(
                "kk-entry", "siti", ["enter", entry, "--member", head.nik.value, "--set", "tanggal_lahir=1990-02-30"],
                expect: ["Data tidak disimpan", "tanggal_lahir (anggota 1", "'1990-02-30' bukan tanggal yang sah; tulis TTTT-BB-HH"]),
            CLICase(
                "kk-entry", "siti", ["enter", entry, "--address", "--set", "rt=ABC"], expect: ["Data tidak disimpan", "rt (alamat): harus tiga angka 001-999"]),
            CLICase(
                "kk-entry", "siti", ["enter", entry, "--member", head.nik.value, "--set", "GURU"],
                expect: ["--set 'GURU' harus berbentuk kolom=nilai, misalnya --set jenis_pekerjaan=GURU."]),
            CLICase(
                "kk-entry", "siti", ["enter", entry, "--member", head.nik.value, "--address", "--set", "rt=001"],
                expect: ["Pilih tepat satu: --member, --add, --remove, --address atau --file"]),
            CLICase(
                "kk-entry", "siti", ["enter", entry, "--file", "/tidak/ada/perubahan.json"], expect: ["Berkas '/tidak/ada/perubahan.json' tidak dapat dibaca."]),
            CLICase("kk-entry", "siti", ["take", entry, "--kk", "12345"], expect: ["harus 16 angka", "5 karakter"]),
            CLICase("kk-admin", nil, ["register", "show", "12345"], expect: ["KK nomor 12345 tidak ada di register keluarga. Periksa 16 angka nomor KK"]),
            CLICase(
                "kk-admin", nil, ["officer", "set-role", "siti", "raja"], expect: ["Peran 'raja' tidak dikenal. Peran petugas menurut SOP: petugas_layanan"]),
        ]
        // A request in the wrong state for the command: refused with its state in Indonesian.
        cases += [
            CLICase(
                "kk-verify", "bambang", ["approve", submitted],
                expect: ["Permohonan \(submitted) tidak ada di antrean verifikasi Kasi/Kabid (status: \(submittedState))"]),
            CLICase(
                "kk-verify", "bambang", ["reject", submitted, "--reason", "Nama ibu berbeda"],
                expect: ["Permohonan \(submitted) tidak ada di antrean verifikasi Kasi/Kabid (status: \(submittedState))"]),
            CLICase(
                "kk-entry", "siti", ["submit", submitted], expect: ["Permohonan \(submitted) tidak ada di antrean entri data (status: \(submittedState))"]),
            CLICase(
                "kk-entry", "siti", ["return", submitted, "--missing", "kk_lama", "--reason", "Foto terpotong"],
                expect: ["Permohonan \(submitted) tidak ada di antrean entri data (status: \(submittedState))"]),
            CLICase(
                "kk-intake", "siti", ["open", entry],
                expect: ["Tidak dapat membuka permohonan: permohonan sedang berstatus \"\(RequestState.opened.indonesianName)\"", "Tindakan yang mungkin:"]),
            CLICase(
                "kk-sign", "wahyuni", ["preview", submitted, "--out", archive.appendingPathComponent("p.pdf").path],
                expect: ["Permohonan \(submitted) belum memiliki draft KK"]),
            CLICase("kk-deliver", "joko", ["resend", submitted], expect: ["Permohonan \(submitted) belum pernah dikirim (status: \(submittedState))"]),
            CLICase(
                "kk-archive", "joko", ["restore", submitted, "--out", archive.appendingPathComponent("pulih").path],
                expect: ["Permohonan \(submitted) belum diarsipkan (status: \(submittedState))"]),
        ]
        // The wrong officer for the step: refused, named, and written to the audit log.
        let roleCases = [
            CLICase(
                "kk-verify", "agus", ["approve", submitted],
                expect: [
                    "Perintah 'approve' hanya boleh dijalankan oleh Kasi/Kabid; Anda masuk sebagai Petugas Unit Layanan & Entri. Percobaan ini dicatat di log audit."
                ]),
            CLICase(
                "kk-intake", "bambang", ["open", submitted],
                expect: ["Perintah 'open' hanya boleh dijalankan oleh Petugas Unit Layanan & Entri; Anda masuk sebagai Kasi/Kabid."]),
            CLICase(
                "kk-entry", "dewi", ["enter", entry, "--member", head.nik.value, "--set", "jenis_pekerjaan=GURU"],
                expect: ["Perintah 'enter' hanya boleh dijalankan oleh Petugas Unit Layanan & Entri"]),
            CLICase("kk-sign", "joko", ["preview", submitted, "--out", "/tmp/x.pdf"], expect: ["Perintah 'preview' hanya boleh dijalankan oleh Kepala Dinas"]),
            CLICase("kk-deliver", "wahyuni", ["resend", submitted], expect: ["Perintah 'resend' hanya boleh dijalankan oleh Petugas Cetak"]),
            CLICase("kk-archive", "siti", ["restore", submitted, "--out", "/tmp/x"], expect: ["Perintah 'restore' hanya boleh dijalankan oleh Petugas Cetak"]),
        ]
        cases += roleCases
        cases.append(
            CLICase(
                "kk-verify", "bambang", ["approve", submitted], password: "kata-sandi-salah",
                expect: ["Nama pengguna atau kata sandi salah. Periksa kembali, atau minta admin mengatur ulang kata sandi"]))

        for item in cases {
            let result = try item.run(in: stack)
            let what =
                "\(item.tool) \(item.arguments.map { "'\($0)'" }.joined(separator: " "))\(item.officer.map { " as \($0)" } ?? ""): exit \(result.status)\n\(result.output)"
            #expect(result.status == 1 || result.status == 64, "expected a clean failure (exit 1, or 64 for usage): \(what)")
            for fragment in item.expect { #expect(result.output.contains(fragment), "missing \"\(fragment)\": \(what)") }
            for crash in ["Fatal error", "Program crashed", "Stack dump", "Backtrace", "PostgreSQL error", "Swift/"] {
                #expect(!result.output.contains(crash), "\(crash): \(what)")
            }
            #expect(result.output.hasPrefix("Error: "), "one error line, nothing else first: \(what)")
            #expect(try await Records.requests(stack.pool) == before, "a request changed: \(what)")
        }
        #expect(try await EntryVerifyFlowTests.draft(of: entry, in: stack)?.changes.isEmpty == true, "nothing was saved in the draft")
        #expect(
            try await stack.pool.query("SELECT role FROM officers WHERE username = 'siti'").rows[0].decode("role", as: String.self)
                == Role.serviceOfficer.rawValue)
        let refused = try await TestStack.count("SELECT count(*)::bigint AS n FROM audit_log WHERE outcome = 'refused' AND command <> 'login'", in: stack.pool)
        #expect(refused - auditBefore == Int64(roleCases.count), "every refusal by role is in the audit log")
        let wrongPassword = try await TestStack.count(
            "SELECT count(*)::bigint AS n FROM audit_log WHERE command = 'login' AND outcome = 'refused' AND username = 'bambang'", in: stack.pool)
        #expect(wrongPassword == 1, "the wrong password is in the audit log too")
    }
}

/// An officer CLI run with arguments that must be refused.
struct CLICase {
    let tool: String
    let officer: String?
    let arguments: [String]
    let password: String?
    let expect: [String]

    init(_ tool: String, _ officer: String?, _ arguments: [String], password: String? = nil, expect: [String]) {
        self.tool = tool
        self.officer = officer
        self.arguments = arguments
        self.password = password
        self.expect = expect
    }

    func run(in stack: IntakeStack) throws -> (status: Int32, output: String) {
        guard let officer else { return try stack.admin(arguments) }
        guard let password else { return try stack.officer(officer, arguments, tool: tool) }
        return try ChildProcess.start(
            tool, arguments, environment: stack.environment.merging(["KK_OFFICER": officer, "KK_OFFICER_PASSWORD": password]) { _, new in new },
            without: IntakeStack.apiClients.contains(tool) ? IntakeStack.serverOnlyVariables : []
        ).wait()
    }
}
