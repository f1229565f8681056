import Crypto
import Foundation
import Hex
import KKDomain
import KKTesting
import Kafka
import Postgres
import Testing

/// Issue 9, "bad input at every door", the WhatsApp webhook's: whatever Meta (or
/// anyone) posts gets 401 or 400 and changes no request, and a file over the
/// limit is refused with the limit said to the applicant. On the real stack:
/// the gateway, the services, PostgreSQL and the broker. (The officer CLIs':
/// `BadOfficerInputTests`; the topics': `BadEventInputTests`.)
@Suite("Bad input at the webhook: fuzzed bodies, fields out of range and files over the limit get a clear answer and change no request", .serialized)
struct BadWebhookInputTests {
    @Test("fuzzed webhook bodies: unsigned or wrongly signed is 401 and stores nothing; signed is 200 or 400, never 5xx; no request moves")
    func webhookFuzz() async throws {
        let seed = Fuzz.seed()
        print("BadWebhookInputTests.webhookFuzz: seed \(seed) (replay with KK_FUZZ_SEED=\(seed))")
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
            try await TestStack.waitFor("the gateway to record the webhook bodies it stored; \(replay)") {
                try await TestStack.count("SELECT count(*)::bigint AS n FROM wa_webhook_inbox", in: stack.pool) == 0
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
        print("BadWebhookInputTests.webhookFuzz: seed \(seed), \(bodies) bodies; signed answers \(tally.sorted { $0.key < $1.key })")

        // The gateway is alive and an applicant's ordinary "halo" still gets its answer.
        #expect(gateway.process.isRunning, "kk-gateway is not running after the fuzz (seed \(seed)): \(Fuzz.crashLine(gateway.output))")
        let greeting = try await stack.ask("halo", from: "6281500000002")
        #expect(greeting.contains("Selamat datang di layanan Kartu Keluarga"), "seed \(seed): \(greeting)")
        // kk-intake has taken every message the gateway accepted...
        try await TestStack.waitFor("kk-intake to take every recorded message (seed \(seed))") {
            try await TestStack.count("SELECT count(*)::bigint AS n FROM inbox WHERE consumer = 'kk-intake'", in: stack.pool)
                >= TestStack.count("SELECT count(*)::bigint AS n FROM wa_inbound", in: stack.pool)
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
        #expect(try await TestStack.count("SELECT count(*)::bigint AS n FROM media WHERE wa_media_id = \(tooBig.id)", in: stack.pool) == 0)
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
}
