import Crypto
import Foundation
import Hex
import KKDomain
import KKRuntime
import Kafka
import Postgres
import Testing

/// Issue 9, "bad input at every door": whatever comes in through the WhatsApp
/// webhook, an officer's command line or a Kafka topic, a bad input gets a
/// clear answer (401/400 for Meta, a message in Indonesian for the officer, a
/// dead letter with its reason for the operator) and no request changes. On
/// the real stack: the gateway, the services, PostgreSQL and the broker.
@Suite("Bad input at every door: webhook, media, officer CLIs and events get a clear error and change no request", .serialized)
struct BadInputTests {
    // MARK: 1. the webhook

    @Test("fuzzed webhook bodies: unsigned or wrongly signed is 401 and stores nothing; signed is 200 or 400, never 5xx; no request moves")
    func webhookFuzz() async throws {
        let seed = Fuzz.seed()
        print("BadInputTests.webhookFuzz: seed \(seed) (replay with KK_FUZZ_SEED=\(seed))")
        let stack = try await IntakeStack.start()
        var gateway = stack.daemons[1]
        var restarted: [Daemon] = []
        defer { Records.stop(stack.daemons + restarted) }
        // Something to protect: a complete request waiting for the service officer.
        let protected = try await stack.completeRequest(.lost, from: "6281500000001")
        let before = try await Records.requests(stack.pool)

        var rng = SplitMix64(seed: seed)
        var tally: [Int: Int] = [:]
        var bodies = 0
        while bodies < Fuzz.processBodies {
            let sample = Fuzz.body(bodies, using: &rng)
            let replay = "seed \(seed), body #\(bodies) (\(sample.label), \(sample.bytes.count) bytes): \(Fuzz.preview(sample.bytes))"
            bodies += 1
            let overLimit = sample.bytes.count > Fuzz.maxWebhookBody

            // (a) Without the app secret's signature: refused, and nothing is stored. The signed
            // body before it is recorded first: the gateway stores it and records it afterwards.
            try await Records.waitFor("the gateway to record the webhook bodies it stored; \(replay)") {
                try await Records.count("SELECT count(*)::bigint AS n FROM wa_webhook_inbox", stack.pool) == 0
            }
            let stored = try await Records.webhookRows(stack.pool)
            let bad = Fuzz.badSignature(for: sample.bytes, using: &rng)
            let refused = try? await Fuzz.post(sample.bytes, signature: bad.header, port: stack.gatewayPort)
            #expect(refused == 401 || (overLimit && refused == 413), "signature \(bad.label) got \(refused.map(String.init) ?? "no answer"); \(replay)")
            #expect(try await Records.webhookRows(stack.pool) == stored, "an unsigned webhook stored something; \(replay)")

            // (b) Signed as Meta signs: a clear 200 (acknowledged) or 400 (malformed), never a 5xx or a dead gateway.
            let status = try? await Fuzz.post(sample.bytes, signature: Webhook.sign(sample.bytes), port: stack.gatewayPort)
            tally[status ?? -1, default: 0] += 1
            let acceptable: Set<Int> = overLimit ? [413] : [200, 400]
            if let status, acceptable.contains(status) { continue }
            // An answer means it is up; no answer at all, and it may be writing a crash's backtrace.
            let died = status == nil ? await Fuzz.exited(gateway.process) : !gateway.process.isRunning
            let failure =
                "signed body got \(status.map(String.init) ?? "no answer")\(died ? "; kk-gateway died: \(Fuzz.crashLine(gateway.output))" : ""); \(replay)"
            Issue.record(Comment(rawValue: failure))
            if died {
                gateway = try await Daemon.start("kk-gateway", ["serve"], environment: stack.environment, marker: "outbox relay elected")
                restarted.append(gateway)
            }
        }
        print("BadInputTests.webhookFuzz: seed \(seed), \(bodies) bodies; signed answers \(tally.sorted { $0.key < $1.key })")

        // The gateway is alive and an applicant's ordinary "halo" still gets its answer.
        #expect(gateway.process.isRunning, "kk-gateway is not running after the fuzz (seed \(seed)): \(Fuzz.crashLine(gateway.output))")
        let greeting = try await stack.ask("halo", from: "6281500000002")
        #expect(greeting.contains("Selamat datang di layanan Kartu Keluarga"), "seed \(seed): \(greeting)")
        // kk-intake has taken every message the gateway accepted...
        try await Records.waitFor("kk-intake to take every recorded message (seed \(seed))") {
            try await Records.count("SELECT count(*)::bigint AS n FROM inbox WHERE consumer = 'kk-intake'", stack.pool)
                >= Records.count("SELECT count(*)::bigint AS n FROM wa_inbound", stack.pool)
        }
        // ...without refusing any, and none of them created, moved or touched a request.
        let letters = try await Records.deadLetters(stack.pool)
        #expect(letters.isEmpty, "seed \(seed): messages the gateway accepted were dead-lettered: \(letters)")
        #expect(try await Records.requests(stack.pool) == before, "seed \(seed): a webhook changed the requests")
        #expect(try await stack.state(of: protected) == RequestState.submitted.rawValue)
        for daemon in stack.daemons where daemon.process !== stack.daemons[1].process {
            #expect(daemon.process.isRunning, "a daemon stopped during the fuzz (seed \(seed)): \(Fuzz.crashLine(daemon.output))")
        }
    }

    @Test(
        "webhook fields out of range: a timestamp no clock gives does not stop the gateway; an overlong identifier gets 400 (or 200), not 500; a NUL in an id loses no message"
    )
    func webhookFieldsOutOfRange() async throws {
        let graph = try await GraphStandIn.start(files: [:])
        defer { graph.task.cancel() }
        let gateway = try await RunningGateway.start(graphPort: graph.port)
        // Timestamps no clock gives: the gateway must not take them as dates (a year-3-million date once crashed it).
        let times: [(String, J)] = [
            ("a text sent in the year 3 million", Fuzz.textMessage(from: "6281599000001", id: "wamid.ts-1", timestamp: "99999999999999", body: "halo")),
            ("a text sent at 1e400", Fuzz.textMessage(from: "6281599000001", id: "wamid.ts-2", timestamp: "1e400", body: "halo")),
            ("a status at NaN", Fuzz.status(id: "wamid.ts-3", to: "6281599000002", status: "read", timestamp: "NaN")),
            ("a status at -1e300", Fuzz.status(id: "wamid.ts-4", to: "6281599000002", status: "delivered", timestamp: "-1e300")),
        ]
        for (label, body) in times {
            let answer = try? await gateway.post(body.text)
            #expect(answer?.0 == 200 || answer?.0 == 400, "\(label): \(answer.map { "\($0.0) \($0.1)" } ?? "no answer (kk-gateway died?)")")
        }
        #expect(gateway.process.process.isRunning, "kk-gateway stopped on a timestamp out of range")

        var rng = SplitMix64(seed: 2026)
        let long = String((0..<50_000).map { _ in Fuzz.alphanumerics.randomElement(using: &rng)! })
        let identifiers: [(String, J)] = [
            ("a 50 000-character message id", Fuzz.textMessage(from: "6281599000011", id: long, timestamp: Webhook.timestamp(), body: "halo")),
            ("a 50 000-character sender", Fuzz.textMessage(from: "62" + long, id: "wamid.long-2", timestamp: Webhook.timestamp(), body: "halo")),
            ("a 50 000-character status id", Fuzz.status(id: long, to: "6281599000012", status: "sent", timestamp: Webhook.timestamp())),
        ]
        for (label, body) in identifiers {
            let answer = try? await gateway.post(body.text)
            // (Once a 500, PostgreSQL 54000: too long for the unique index, and Meta retries a 500 forever.)
            #expect(answer?.0 == 400 || answer?.0 == 200, "\(label): \(answer.map { "\($0.0) \($0.1)" } ?? "no answer")")
        }
        #expect(try await gateway.count("SELECT count(*)::bigint FROM wa_inbound WHERE length(wa_message_id) > 1000 OR wa_message_id = 'wamid.long-2'") == 0)
        #expect(try await gateway.count("SELECT count(*)::bigint FROM wa_message_status WHERE length(wa_message_id) > 1000") == 0)
        // A NUL inside a message id: PostgreSQL text cannot hold one. The webhook may be refused or taken, but
        // the next message, whose id is the part before the NUL, is another message and must not be lost as a duplicate.
        try await gateway.agreed("6281599000014")  // agreed to the privacy notice, so the text travels with the message
        let withNUL = try? await gateway.post(
            Fuzz.textMessage(from: "6281599000014", id: "wamid.nul\u{0}x", timestamp: Webhook.timestamp(), body: "pesan pertama").text)
        #expect(withNUL?.0 == 400 || withNUL?.0 == 200, "\(withNUL.map { "\($0.0) \($0.1)" } ?? "no answer")")
        #expect(
            try await gateway.post(Fuzz.textMessage(from: "6281599000014", id: "wamid.nul", timestamp: Webhook.timestamp(), body: "pesan kedua").text).0 == 200)
        let second = try await gateway.count(
            "SELECT count(*)::bigint FROM outbox WHERE topic = 'wa.inbound' AND position(convert_to('pesan kedua', 'UTF8') in payload) > 0")
        #expect(withNUL?.0 == 400, "a NUL in a message id is refused before anything is stored")
        #expect(second == 1, "the message wamid.nul was not published to wa.inbound")

        // It is still up and takes the next ordinary message.
        #expect(try await gateway.post(Webhook.text(id: "wamid.after", from: "6281599000013", body: "halo")).0 == 200)
        #expect(try await gateway.count("SELECT count(*)::bigint FROM wa_inbound WHERE wa_message_id = 'wamid.after'") == 1)
        await gateway.stop()
    }

    // MARK: 2. media over the limit

    @Test(
        "a PDF one byte over KK_WA_MEDIA_LIMIT_BYTES: the applicant hears the limit in Indonesian and the request's documents stay as they were; one at the limit is taken"
    )
    func oversizedDocument() async throws {
        let stack = try await IntakeStack.start()
        defer { Records.stop(stack.daemons) }
        let limit = try #require(stack.environment["KK_WA_MEDIA_LIMIT_BYTES"].flatMap(Int.init))
        let phone = "6281500000011"
        try await stack.agree(from: phone)
        _ = try await stack.ask("2", from: phone)
        try await stack.identify(phone)
        let number = try await stack.requestNumber(of: phone)
        _ = try await stack.send(photoFrom: phone)
        let documents = try await Records.documents(of: number, stack.pool)
        #expect(documents.map(\.kind) == [DocumentKind.statementForm.rawValue])
        let request = try await Records.requests(stack.pool)

        // One byte over: not stored, not attached, and the applicant is told the limit and what is still missing.
        let tooBig = try await Fuzz.upload(Fuzz.pdf(size: limit + 1), contentType: "application/pdf", stack: stack)
        let count = try await stack.replies(to: phone, atLeast: 1).count
        #expect(try await stack.post(Fuzz.document(from: phone, id: "wamid.pdf-over", media: tooBig, fileName: "surat-kehilangan.pdf")) == 200)
        let reply = try await stack.replies(to: phone, atLeast: count + 1)[count]
        #expect(reply.hasPrefix("Maaf, berkas Anda terlalu besar dan tidak dapat kami simpan (maksimal \(limit / (1024 * 1024)) MB)."), "\(reply)")
        #expect(reply.contains("PDF yang lebih kecil"), "\(reply)")
        #expect(reply.contains("Permohonan \(number) masih menunggu: \(DocumentKind.policeLossReport.indonesianName)"), "\(reply)")
        #expect(try await Records.documents(of: number, stack.pool) == documents)
        #expect(try await Records.requests(stack.pool) == request)
        #expect(try await Records.count("SELECT count(*)::bigint AS n FROM media WHERE wa_media_id = \(tooBig.id)", stack.pool) == 0)
        let kind = try await stack.pool.query("SELECT kind FROM wa_inbound WHERE wa_message_id = 'wamid.pdf-over'").rows.first?.decode("kind", as: String.self)
        #expect(kind == WhatsAppInbound.Kind.mediaTooLarge.rawValue)

        // Exactly at the limit: taken as the missing police report, and the request is complete.
        let atLimit = try await Fuzz.upload(Fuzz.pdf(size: limit), contentType: "application/pdf", stack: stack)
        #expect(try await stack.post(Fuzz.document(from: phone, id: "wamid.pdf-at", media: atLimit, fileName: "surat-kehilangan.pdf")) == 200)
        let done = try await stack.replies(to: phone, atLeast: count + 2)[count + 1]
        #expect(done.contains("sudah lengkap dan kami terima"), "\(done)")
        let after = try await Records.documents(of: number, stack.pool)
        #expect(after.map(\.kind) == [DocumentKind.statementForm.rawValue, DocumentKind.policeLossReport.rawValue])
        #expect(after.last?.size == limit && after.last?.contentType == "application/pdf")
        #expect(try await stack.state(of: number) == RequestState.submitted.rawValue)
    }

    // MARK: 3. the officer CLIs

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
        let auditBefore = try await Records.count("SELECT count(*)::bigint AS n FROM audit_log WHERE outcome = 'refused' AND command <> 'login'", stack.pool)

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
        let refused = try await Records.count("SELECT count(*)::bigint AS n FROM audit_log WHERE outcome = 'refused' AND command <> 'login'", stack.pool)
        #expect(refused - auditBefore == Int64(roleCases.count), "every refusal by role is in the audit log")
        let wrongPassword = try await Records.count(
            "SELECT count(*)::bigint AS n FROM audit_log WHERE command = 'login' AND outcome = 'refused' AND username = 'bambang'", stack.pool)
        #expect(wrongPassword == 1, "the wrong password is in the audit log too")
    }

    // MARK: 4. events that break the schema

    @Test(
        "events that break the schema land in dead_letters with a reason naming the problem, are listed by kk-admin, and the consumers go on; no request changes"
    )
    func schemaViolations() async throws {
        let stack = try await SigningFlowTests.start(services: ["kk-entry", "kk-verify", "kk-sign"])
        defer { Records.stop(stack.daemons) }
        let protected = try await stack.completeRequest(.damaged, from: "6281500000031")
        let family = try await SigningFlowTests.kk(stack, 0)
        let followUp = try await stack.completeRequest(.lost, from: "6281500000032", as: family)
        let phone = "6281500000033"
        let ids = try await Records.ids(of: [protected, followUp], stack.pool)
        let protectedID = ids[protected]!
        let followUpID = ids[followUp]!
        let before = try await Records.requests(stack.pool)
        let siti = Actor(role: .serviceOfficer, id: "siti")
        // Bad messages share a key (so a partition) with the valid ones that come after them.
        let requestKey = followUpID.uuidString.lowercased()
        let applicantKey = RequestStore.applicantRef(for: phone)

        func envelope<P: EventPayload>(_ payload: P, requestId: UUID?, actor: Actor = siti, _ edit: (inout [String: Any]) -> Void = { _ in }) throws -> [UInt8]
        {
            var object = try #require(
                try JSONSerialization.jsonObject(with: EventEnvelope(payload: payload, requestId: requestId, actor: actor).encoded()) as? [String: Any])
            edit(&object)
            return Array(try JSONSerialization.data(withJSONObject: object))
        }
        let accepted = RequestAccepted(requestNumber: followUp, reason: .lost, documents: [])
        let inbound = WhatsAppInbound(
            whatsappMessageId: "wamid.schema-1", applicantRef: applicantKey, kind: .text, text: "halo", caption: nil, mediaId: nil,
            mediaSha256: nil, contentType: nil, fileName: nil, sentAt: Date(), limitBytes: nil)
        var bad: [BadEvent] = []
        // Not JSON at all, on every topic a running service consumes.
        let consumers: [(Topic, String, String)] = [
            (.waInbound, "kk-intake", applicantKey), (.requestsReturned, "kk-intake", requestKey), (.waOutbound, "kk-gateway", applicantKey),
            (.requestsAccepted, "kk-entry", requestKey), (.draftsSubmitted, "kk-verify", requestKey), (.draftsVerified, "kk-sign", requestKey),
        ]
        for (topic, consumer, key) in consumers {
            bad.append(
                BadEvent("not JSON on \(topic.rawValue)", topic, key, Array("bukan peristiwa JSON (\(topic.rawValue))".utf8), consumer, ["undecodable message"])
            )
        }
        bad += [
            BadEvent("truncated JSON", .requestsAccepted, requestKey, Array(#"{"id": "9b1c"#.utf8), "kk-entry", ["undecodable message", "malformed event"]),
            BadEvent("a JSON array", .draftsSubmitted, requestKey, Array("[]".utf8), "kk-verify", ["undecodable message", "malformed event"]),
            // A field of the envelope missing.
            BadEvent(
                "no actor", .requestsAccepted, requestKey, try envelope(accepted, requestId: followUpID) { $0["actor"] = nil }, "kk-entry",
                ["undecodable message", "\"actor\""]),
            BadEvent(
                "no type", .waInbound, applicantKey,
                try envelope(inbound, requestId: nil, actor: Actor(role: .applicant, id: applicantKey)) { $0["type"] = nil },
                "kk-intake", ["undecodable message", "\"type\""]),
            // A field of the payload missing or of the wrong type.
            BadEvent(
                "no draftId", .draftsSubmitted, requestKey,
                try envelope(DraftSubmitted(requestNumber: followUp, draftId: UUID(), preparedBy: "siti"), requestId: followUpID) {
                    var payload = $0["payload"] as! [String: Any]
                    payload["draftId"] = nil
                    $0["payload"] = payload
                }, "kk-verify", ["payload of '\(DraftSubmitted.eventType)'", "draftId"]),
            BadEvent(
                "requestNumber a number", .draftsVerified, requestKey,
                try envelope(DraftVerified(requestNumber: followUp, draftId: UUID(), verifiedBy: "bambang"), requestId: followUpID) {
                    var payload = $0["payload"] as! [String: Any]
                    payload["requestNumber"] = 20_261_125
                    $0["payload"] = payload
                }, "kk-sign", ["payload of '\(DraftVerified.eventType)'", "requestNumber"]),
            // An event type nobody knows.
            BadEvent(
                "unknown type", .requestsAccepted, requestKey, try envelope(accepted, requestId: followUpID) { $0["type"] = "kk.request.teleported" },
                "kk-entry", ["kk.request.teleported"]),
            BadEvent(
                "unknown type on wa.inbound", .waInbound, applicantKey,
                try envelope(inbound, requestId: nil, actor: Actor(role: .applicant, id: applicantKey)) { $0["type"] = "wa.inbound.hologram" },
                "kk-intake", ["wa.inbound.hologram"]),
            // A schema version this build does not read.
            BadEvent(
                "schema version 99", .requestsAccepted, requestKey, try envelope(accepted, requestId: followUpID) { $0["schemaVersion"] = 99 },
                "kk-entry", ["event '\(RequestAccepted.eventType)' has schema version 99; this build reads \(RequestAccepted.schemaVersion)"]),
            BadEvent(
                "schema version 2 on wa.inbound", .waInbound, applicantKey,
                try envelope(inbound, requestId: nil, actor: Actor(role: .applicant, id: applicantKey)) { $0["schemaVersion"] = 2 },
                "kk-intake", ["event '\(WhatsAppInbound.eventType)' has schema version 2; this build reads \(WhatsAppInbound.schemaVersion)"]),
            // About a request on record, but it is not in the state the event claims (only submitted; no draft exists).
            BadEvent(
                "verified while only submitted", .draftsVerified, protectedID.uuidString.lowercased(),
                try envelope(DraftVerified(requestNumber: protected, draftId: UUID(), verifiedBy: "bambang"), requestId: protectedID),
                "kk-sign", [protected, "not on record"]),
            BadEvent(
                "print request while only submitted", .draftsSubmitted, protectedID.uuidString.lowercased(),
                try envelope(DraftSubmitted(requestNumber: protected, draftId: UUID(), preparedBy: "siti"), requestId: protectedID),
                "kk-verify", [protected, "not on record"]),
        ]
        // Accepted (SOP 2 done) for a request that was never opened: the issue asks for a dead letter too.
        let early = EventEnvelope(payload: RequestAccepted(requestNumber: protected, reason: .damaged, documents: []), requestId: protectedID, actor: siti)
        try await Records.publish(
            [(.requestsAccepted, protectedID.uuidString.lowercased(), Array(early.encoded()))] + bad.map { ($0.topic, $0.key, $0.value) }, stack: stack)

        // kk-intake reads the print-request and verification events too (to tell the applicant):
        // it refuses the bad ones as well, each consumer with a dead letter of its own.
        let alsoIntake: Set<Topic> = [.draftsSubmitted, .draftsVerified]
        try await Records.waitFor("every consumer's dead letter for each of the \(bad.count) bad messages") {
            for event in bad {
                let letters = try await Records.count("SELECT count(*)::bigint AS n FROM dead_letters WHERE payload = \(event.value)", stack.pool)
                if letters < (alsoIntake.contains(event.topic) ? 2 : 1) { return false }
            }
            return true
        }
        let listed = try stack.admin(["deadletter", "list"])
        #expect(listed.status == 0, "\(listed.output)")
        for event in bad {
            let rows = try await stack.pool.query("SELECT id, consumer, topic, reason FROM dead_letters WHERE payload = \(event.value)").rows
            let expected = Set([event.consumer] + (alsoIntake.contains(event.topic) ? ["kk-intake"] : []))
            let consumers = try rows.map { try $0.decode("consumer", as: String.self) }
            #expect(consumers.count == expected.count && Set(consumers) == expected, "\(event.label): dead letters of \(consumers), expected \(expected)")
            if rows.isEmpty { Issue.record("\(event.label): no dead letter; dead letters: \(try await Records.deadLetters(stack.pool))") }
            for row in rows {
                let id = try row.decode("id", as: Int64.self)
                let reason = try row.decode("reason", as: String.self)
                let consumer = try row.decode("consumer", as: String.self)
                #expect(try row.decode("topic", as: String.self) == stack.environment["KK_TOPIC_PREFIX"]! + event.topic.rawValue)
                for fragment in event.reason {
                    #expect(reason.contains(fragment), "\(event.label) (\(consumer)): the reason does not say \"\(fragment)\": \(reason)")
                }
                #expect(
                    listed.output.contains("#\(id)\t\(consumer)\t") && listed.output.contains(reason),
                    "\(event.label): not listed by kk-admin: \(listed.output)")
            }
        }
        try await Records.waitFor("kk-entry to take the early kk.requests.accepted") {
            try await Records.count(
                "SELECT count(*)::bigint AS n FROM inbox WHERE consumer = 'kk-entry' AND message_id = \(early.id.uuidString.lowercased())", stack.pool) == 1
        }
        let earlyLetters = try await Records.count("SELECT count(*)::bigint AS n FROM dead_letters WHERE payload = \(Array(early.encoded()))", stack.pool)
        #expect(earlyLetters == 1, "kk.requests.accepted for \(protected), still submitted, is in dead_letters")
        let earlyReason = try await stack.pool.query("SELECT reason FROM dead_letters WHERE payload = \(Array(early.encoded()))").rows.first?
            .decode("reason", as: String.self)
        #expect(earlyReason?.contains("ahead of the record") == true, "\(earlyReason ?? "no dead letter")")
        // No request moved, and none was queued by the bad events.
        #expect(try await Records.requests(stack.pool) == before)
        // (The complete requests made before them wait in the intake queue, as they did.)
        #expect(try await Records.count("SELECT count(*)::bigint AS n FROM officer_queue WHERE queue <> 'penerimaan'", stack.pool) == 0)

        // The consumers went on: an applicant's "halo" is answered (kk-intake, kk-gateway), and the follow-up
        // request goes from opening to the Kepala Dinas' queue (kk-entry, kk-verify, kk-sign).
        let greeting = try await stack.ask("halo", from: phone)
        #expect(greeting.contains("Selamat datang di layanan Kartu Keluarga"), "\(greeting)")
        #expect(try stack.officer("siti", ["open", followUp]).status == 0)
        _ = try await stack.waitInQueue(followUp, officer: "siti", tool: "kk-entry")
        #expect(try stack.officer("siti", ["take", followUp, "--kk", family.kkNumber.value], tool: "kk-entry").status == 0)
        #expect(try stack.officer("siti", ["submit", followUp], tool: "kk-entry").status == 0)
        _ = try await stack.waitInQueue(followUp, officer: "bambang", tool: "kk-verify")
        #expect(try stack.officer("bambang", ["approve", followUp], tool: "kk-verify").status == 0)
        _ = try await stack.waitInQueue(followUp, officer: "wahyuni", tool: "kk-sign")
        let letters = Int64(bad.count + bad.filter { alsoIntake.contains($0.topic) }.count) + earlyLetters
        #expect(try await Records.count("SELECT count(*)::bigint AS n FROM dead_letters", stack.pool) == letters, "the valid messages went through")
        let after = try await Records.requests(stack.pool)
        #expect(after.filter { !$0.hasPrefix(followUp) } == before.filter { !$0.hasPrefix(followUp) }, "only the follow-up request moved")
    }
}

// MARK: - helpers of this suite

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

/// A message that breaks the event schema, and the dead letter it must become.
struct BadEvent {
    let label: String
    let topic: Topic
    let key: String
    let value: [UInt8]
    let consumer: String
    let reason: [String]

    init(_ label: String, _ topic: Topic, _ key: String, _ value: [UInt8], _ consumer: String, _ reason: [String]) {
        self.label = label
        self.topic = topic
        self.key = key
        self.value = value
        self.consumer = consumer
        self.reason = reason
    }
}

/// What the tests read back from the database.
enum Records {
    /// Every request as "number state vN events:M", the thing bad input must never change.
    static func requests(_ pool: PostgresPool) async throws -> [String] {
        try await pool.query(
            """
            SELECT r.number, r.state, r.version, (SELECT count(*) FROM request_events e WHERE e.request_id = r.id)::bigint AS events
            FROM requests r ORDER BY r.number
            """
        ).rows.map {
            "\(try $0.decode("number", as: String.self)) \(try $0.decode("state", as: String.self)) v\(try $0.decode("version", as: Int32.self)) events:\(try $0.decode("events", as: Int64.self))"
        }
    }

    /// What a webhook can store: inbound messages, statuses, media, contacts, the outbox, the webhook inbox.
    static func webhookRows(_ pool: PostgresPool) async throws -> [Int64] {
        let row = try await pool.query(
            """
            SELECT (SELECT count(*) FROM wa_inbound)::bigint AS a, (SELECT count(*) FROM wa_message_status)::bigint AS b,
                   (SELECT count(*) FROM media)::bigint AS c, (SELECT count(*) FROM wa_contacts)::bigint AS d,
                   (SELECT count(*) FROM outbox WHERE topic IN ('wa.inbound', 'wa.status'))::bigint AS e,
                   (SELECT count(*) FROM wa_webhook_inbox)::bigint AS f
            """
        ).rows[0]
        return try ["a", "b", "c", "d", "e", "f"].map { try row.decode($0, as: Int64.self) }
    }

    struct Document: Equatable {
        let id: UUID
        let kind: String
        let contentType: String
        let size: Int
    }

    static func documents(of number: String, _ pool: PostgresPool) async throws -> [Document] {
        try await pool.query(
            """
            SELECT m.id, m.document_kind, m.content_type, m.size_bytes::bigint AS size FROM media m JOIN requests r ON r.id = m.request_id
            WHERE r.number = \(number) ORDER BY m.created_at
            """
        ).rows.map {
            Document(
                id: try $0.decode("id", as: UUID.self), kind: try $0.decode("document_kind", as: String.self),
                contentType: try $0.decode("content_type", as: String.self), size: Int(try $0.decode("size", as: Int64.self)))
        }
    }

    static func ids(of numbers: [String], _ pool: PostgresPool) async throws -> [String: UUID] {
        var ids: [String: UUID] = [:]
        for number in numbers {
            ids[number] = try await pool.query("SELECT id FROM requests WHERE number = \(number)").rows[0].decode("id", as: UUID.self)
        }
        return ids
    }

    static func deadLetters(_ pool: PostgresPool) async throws -> [String] {
        try await pool.query("SELECT consumer, topic, reason FROM dead_letters ORDER BY id").rows.map {
            "\(try $0.decode("consumer", as: String.self)) \(try $0.decode("topic", as: String.self)): \(try $0.decode("reason", as: String.self))"
        }
    }

    static func count(_ sql: PostgresQuery, _ pool: PostgresPool) async throws -> Int64 {
        try await pool.query(sql).rows[0].decode("n", as: Int64.self)
    }

    static func waitFor(_ what: String, timeout: Duration = .seconds(90), _ condition: () async throws -> Bool) async throws {
        try await DeadLetterReplayTests.waitFor(what, timeout: timeout, condition)
    }

    /// Stops the daemons the way `IntakeStack.stop` does (SIGTERM, a graceful drain), but all at
    /// once: each takes several seconds to leave its consumer group, and one after another adds up.
    static func stop(_ daemons: [Daemon]) {
        for daemon in daemons where daemon.process.isRunning { kill(daemon.process.processIdentifier, SIGTERM) }
        for daemon in daemons { daemon.process.waitUntilExit() }
    }

    /// Publishes raw messages to the stack's topics (with its KK_TOPIC_PREFIX), in order, with one producer.
    static func publish(_ messages: [(Topic, String, [UInt8])], stack: IntakeStack) async throws {
        let producer = try await KafkaProducer(
            configuration: KafkaProducerConfiguration(
                KafkaConfiguration(brokers: stack.environment["KK_KAFKA_BROKERS"] ?? TestStack.brokers, clientID: "kk-bad-input-tests")),
            logger: TestStack.logger)
        let prefix = stack.environment["KK_TOPIC_PREFIX"]!
        for (topic, key, value) in messages {
            _ = try await producer.send(KafkaProducerMessage(topic: prefix + topic.rawValue, key: key, value: value))
        }
        await producer.close()
    }
}
