import Foundation
import KKDomain
import KKMessaging
import KKStore
import KKTesting
import Kafka
import Postgres
import Testing

/// The operator's ways back after a failure: `kk-admin deadletter list|retry`
/// for messages a service refused, and `kk-admin replay` for a broker that
/// lost its data. On the real broker, database and services.
@Suite("kk-admin deadletter and replay: nothing lost, no step done twice", .serialized)
struct DeadLetterReplayTests {
    static func publish(_ value: [UInt8], key: String, topic: Topic, stack: IntakeStack, messageID: String? = nil) async throws {
        let producer = try await KafkaProducer(
            configuration: KafkaProducerConfiguration(
                KafkaConfiguration(brokers: stack.environment["KK_KAFKA_BROKERS"] ?? TestStack.brokers, clientID: "kk-tests")),
            logger: TestStack.logger)
        let headers = messageID.map { [KafkaHeader(key: MessageHeader.messageID, string: $0)] } ?? []
        _ = try await producer.send(
            KafkaProducerMessage(topic: stack.environment["KK_TOPIC_PREFIX"]! + topic.rawValue, key: key, value: value, headers: headers))
        await producer.close()
    }

    @Test(
        "a refused message is listed with its reason; retried after the cause is fixed, only its service processes it, once; unreadable ones are kept, not retried"
    )
    func deadLetterRetry() async throws {
        let stack = try await IntakeStack.start(services: ["kk-entry"])
        defer { stack.stop() }
        // The request the message is about is not on record yet: kk-entry refuses the message.
        _ = try await stack.pool.query("SELECT setval('request_number_seq', 500)")
        let now = Date()
        let number = RequestNumber(date: CalendarDate(now), sequence: 501).description
        let requestID = UUID()
        let envelope = EventEnvelope(
            payload: RequestAccepted(requestNumber: number, reason: .damaged, documents: []), requestId: requestID,
            actor: Actor(role: .serviceOfficer, id: "siti"))
        try await Self.publish(Array(envelope.encoded()), key: requestID.uuidString.lowercased(), topic: .requestsAccepted, stack: stack)
        try await TestStack.waitFor("the dead letter") {
            try await TestStack.count("SELECT count(*)::bigint AS n FROM dead_letters WHERE consumer = 'kk-entry'", in: stack.pool) == 1
        }
        let listed = try stack.admin(["deadletter", "list"])
        #expect(
            listed.status == 0 && listed.output.contains("kk-entry") && listed.output.contains("accepted request \(number) is not on record"),
            "\(listed.output)")
        #expect(listed.output.contains("menunggu"))
        let id = try await stack.pool.query("SELECT id FROM dead_letters").rows[0].decode("id", as: Int64.self)

        // Retrying before the cause is fixed fails again, visibly: a new dead letter.
        // Fix the cause: the request is opened (as SOP 2 would have done first).
        try await stack.pool.withTransaction { tx in
            let applicant = Actor(role: .applicant, id: RequestStore.applicantRef(for: "6281300009999"))
            let (record, _) = try await RequestStore.create(id: requestID, reason: .damaged, applicantPhone: "6281300009999", actor: applicant, at: now, in: tx)
            #expect(record.number == number)
            try await RequestStore.transition(requestID, action: .submit, by: applicant, in: tx)
            try await RequestStore.transition(requestID, action: .open, by: Actor(role: .serviceOfficer, id: "siti"), in: tx)
        }
        let retried = try stack.admin(["deadletter", "retry", "#\(id)"])
        #expect(retried.status == 0 && retried.output.contains("Pesan gagal #\(id) diulang"), "\(retried.output)")
        _ = try await stack.waitInQueue(number, officer: "siti", tool: "kk-entry")
        #expect(try await TestStack.count("SELECT count(*)::bigint AS n FROM officer_queue WHERE request_id = \(requestID)", in: stack.pool) == 1)
        #expect(
            try await TestStack.count(
                "SELECT count(*)::bigint AS n FROM inbox WHERE consumer = 'kk-entry' AND message_id = \(envelope.id.uuidString.lowercased())", in: stack.pool)
                == 1)
        #expect(try await TestStack.count("SELECT count(*)::bigint AS n FROM dead_letters", in: stack.pool) == 1, "the retry was processed, not refused again")
        let after = try stack.admin(["deadletter", "list"])
        #expect(after.output.contains("Tidak ada pesan gagal yang menunggu"), "\(after.output)")
        #expect(try stack.admin(["deadletter", "list", "--all"]).output.contains("diulang"))
        let again = try stack.admin(["deadletter", "retry", String(id)])
        #expect(again.status != 0 && again.output.contains("sudah diulang"), "\(again.output)")

        // Bytes that are no event: kept with the reason, never retried.
        try await Self.publish(Array("bukan peristiwa".utf8), key: "x", topic: .requestsAccepted, stack: stack)
        try await TestStack.waitFor("the second dead letter") {
            try await TestStack.count("SELECT count(*)::bigint AS n FROM dead_letters WHERE reason LIKE 'undecodable%'", in: stack.pool) == 1
        }
        let unreadable = try stack.admin(["deadletter", "retry", "--all"])
        #expect(unreadable.status != 0 && unreadable.output.contains("tidak dapat dibaca"), "\(unreadable.output)")
        #expect(try stack.admin(["deadletter", "list"]).output.contains("undecodable message"))
        let unknown = try stack.admin(["deadletter", "retry", "987654"])
        #expect(unknown.status != 0 && unknown.output.contains("tidak ada"), "\(unknown.output)")
    }

    @Test(
        "a webhook body the gateway gave up recording is listed with its reason; retry-webhooks lets the gateway record it (the applicant is answered), once"
    )
    func deadWebhookBodies() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let phone = "6281900000077"
        let body = Webhook.message(id: "wamid.dead-retry-1", from: phone, #""type":"text","text":{"body":"halo"}"#)
        let id = try await stack.pool.query(
            """
            INSERT INTO wa_webhook_inbox (sender_ref, body, attempts, dead_at, last_error)
            VALUES (NULL, \(Array(body.utf8)), 12, now(), 'the database refused: uji') RETURNING id
            """
        ).rows[0].decode("id", as: Int64.self)
        let listed = try stack.admin(["deadletter", "webhooks"])
        #expect(listed.status == 0 && listed.output.contains("W\(id)\t") && listed.output.contains("the database refused: uji"), "\(listed.output)")
        #expect(try await stack.sent().filter { $0["to"] as? String == phone }.isEmpty, "a dead body is not recorded by itself")

        let neither = try stack.admin(["deadletter", "retry-webhooks"])
        #expect(neither.status != 0 && neither.output.contains("Sebutkan nomor kiriman webhook (misalnya W12) atau --all"), "\(neither.output)")
        let malformed = try stack.admin(["deadletter", "retry-webhooks", "X\(id)"])
        #expect(malformed.status != 0 && malformed.output.contains("bukan nomor kiriman webhook"), "\(malformed.output)")

        let retried = try stack.admin(["deadletter", "retry-webhooks", "W\(id)"])
        #expect(retried.status == 0 && retried.output.contains("Kiriman webhook W\(id) akan dicatat ulang oleh kk-gateway."), "\(retried.output)")
        _ = try await stack.texts(to: phone, containing: "Pemberitahuan privasi")
        try await TestStack.waitFor("the gateway to record the body and delete it") {
            try await TestStack.count("SELECT count(*)::bigint AS n FROM wa_webhook_inbox WHERE id = \(id)", in: stack.pool) == 0
        }
        #expect(try stack.admin(["deadletter", "webhooks"]).output.contains("Tidak ada kiriman webhook WhatsApp yang gagal dicatat."))
        let again = try stack.admin(["deadletter", "retry-webhooks", "W\(id)"])
        #expect(again.status == 0 && again.output.contains("Tidak ada kiriman webhook gagal dengan nomor itu."), "\(again.output)")
        #expect(try await stack.sent().filter { $0["to"] as? String == phone }.count == 1, "answered once")
        let audited = try await TestStack.count(
            "SELECT count(*)::bigint AS n FROM audit_log WHERE command = 'deadletter-webhooks-retry' AND outcome = 'ok'", in: stack.pool)
        #expect(audited == 2, "both retries are audited")
    }

    @Test(
        "after the broker restarts empty, kk-admin recover brings every in-flight request to its next step with no service stopped or started, and no step is done twice"
    )
    func recoverAfterBrokerLoss() async throws {
        let broker = PrivateBroker()
        try await broker.start()
        defer { broker.kill() }
        let stack = try await IntakeStack.start(services: ["kk-entry"], brokers: broker.brokers)
        defer { stack.stop() }
        var entry = try stack.daemon("kk-entry")
        defer { entry.stop() }

        // A: opened and already in the entry queue before the loss.
        let first = try await stack.completeRequest(.damaged, from: "6281300000101")
        #expect(try stack.officer("siti", ["open", first]).status == 0)
        _ = try await stack.waitInQueue(first, officer: "siti", tool: "kk-entry")
        // B: opened while kk-entry is down; its message is published but never consumed.
        entry.stop()
        let second = try await stack.completeRequest(.lost, from: "6281300000102")
        #expect(try stack.officer("siti", ["open", second]).status == 0)
        try await TestStack.waitFor("B's message to be published") {
            try await TestStack.count("SELECT count(*)::bigint AS n FROM outbox WHERE sent_at IS NULL", in: stack.pool) == 0
        }
        // Both applicants have been told their request was opened (the last message before the loss).
        for phone in ["6281300000101", "6281300000102"] {
            try await TestStack.waitFor("the opened notice to \(phone)") {
                try await stack.replies(to: phone, atLeast: 1).last?.contains("sudah dibuka petugas") == true
            }
        }
        let repliesBefore = [
            try await stack.replies(to: "6281300000101", atLeast: 1).count, try await stack.replies(to: "6281300000102", atLeast: 1).count,
        ]

        // The broker loses everything and comes back empty. The gateway, kk-intake and kk-admin keep running
        // through it with their old Kafka clients (which keep the lost topics' ids, librdkafka #4898); kk-entry,
        // down already, starts against the empty broker. The operator runs one command.
        let kept = stack.daemons.filter { ["kk-gateway", "kk-intake", "kk-admin"].contains($0.name) }
        broker.kill()
        try await broker.start()
        entry = try await Daemon.start("kk-entry", ["serve"], environment: stack.daemonEnvironment(for: "kk-entry"), marker: "outbox relay elected")
        let dry = try stack.admin(["replay", "--dry-run"])
        #expect(dry.status == 0 && dry.output.contains("2 permohonan dalam proses"), "\(dry.output)")
        let recover = try stack.admin(["recover", "--wait-seconds", "60"])
        #expect(recover.status == 0, "\(recover.output)")
        for line in [
            "Generasi broker 1 dicatat", "kk-gateway: 1 instans tersambung ulang", "kk-intake: 1 instans tersambung ulang",
            "kk-entry: 1 instans tersambung ulang", "kk-admin: 1 instans tersambung ulang", "2 permohonan dalam proses",
            "kk.requests.accepted: 2",
        ] {
            #expect(recover.output.contains(line), "\(line): \(recover.output)")
        }
        _ = try await stack.waitInQueue(second, officer: "siti", tool: "kk-entry")

        // The gateway and kk-intake work on the new broker, in the same processes: a new applicant gets an answer.
        _ = try await stack.ask("halo", from: "6281300000103")
        for daemon in kept {
            #expect(daemon.process.isRunning, "\(daemon.name) was not restarted")
            #expect(daemon.output.contains("Kafka clients replaced"), "\(daemon.name) replaced its clients in place")
        }
        // Recovering again is safe: a new generation, the same messages skipped by every inbox.
        let again = try stack.admin(["recover"])
        #expect(again.status == 0 && again.output.contains("Generasi broker 2 dicatat"), "\(again.output)")
        try await TestStack.waitFor("every instance on generation 2") {
            try await TestStack.count("SELECT count(*)::bigint AS n FROM service_instances WHERE broker_generation = 2", in: stack.pool) == 4
        }
        let audited = try await TestStack.count(
            "SELECT count(*)::bigint AS n FROM audit_log WHERE command = 'recover' AND outcome = 'ok'", in: stack.pool)
        #expect(audited == 2, "each recovery is audited")
        // Time for a duplicate WhatsApp message, were one sent, to reach the Graph API stand-in.
        try await Task.sleep(for: .seconds(2))
        let repliesAfter = [
            try await stack.replies(to: "6281300000101", atLeast: 1).count, try await stack.replies(to: "6281300000102", atLeast: 1).count,
        ]
        #expect(repliesAfter == repliesBefore, "no WhatsApp message was sent twice")
        for number in [first, second] {
            let events = try await stack.pool.withTransaction { tx in
                try await RequestStore.events(of: try await RequestStore.load(number: number, in: tx).id, in: tx)
            }
            let actions = events.compactMap(\.action)
            #expect(actions == [.submit, .open], "\(number): \(actions)")
            let queued = try await TestStack.count(
                "SELECT count(*)::bigint AS n FROM officer_queue q JOIN requests r ON r.id = q.request_id WHERE r.number = \(number)", in: stack.pool)
            #expect(queued == 1, "\(number) is in the entry queue once")
        }
        #expect(
            try await TestStack.count("SELECT count(*)::bigint AS n FROM dead_letters", in: stack.pool) == 0,
            "replayed duplicates are skipped, not dead-lettered")

        // Bad input: a wait out of range is refused before anything is done; a broker that is not
        // back yet is named, and no generation is recorded for it.
        let outOfRange = try stack.admin(["recover", "--wait-seconds", "0"])
        #expect(outOfRange.status != 0 && outOfRange.output.contains("--wait-seconds harus antara 1 dan 60"), "\(outOfRange.output)")
        broker.kill()
        let down = try stack.admin(["recover"])
        #expect(down.status != 0 && down.output.contains("Broker belum bisa dipakai"), "\(down.output)")
        #expect(try await TestStack.count("SELECT count(*)::bigint AS n FROM broker_generations", in: stack.pool) == 2)
    }
}
