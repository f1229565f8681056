import Foundation
import KKDomain
import KKMessaging
import KKStore
import KKTesting
import Postgres
import Testing

/// SOP 8-9 end to end: kk.documents.signed reaches kk-deliver, the PDF and the
/// notice go out through wa.outbound, the gateway and the Graph API sandbox;
/// WhatsApp's receipts come back as signed webhooks.
@Suite("kk-deliver: the signed KK over WhatsApp, receipts, retries and the print officer", .serialized)
struct DeliveryFlowTests {
    static let services = ["kk-entry", "kk-verify", "kk-sign", "kk-deliver"]

    static func start(confirmSeconds: Int = 600, attempts: Int = 3, extra: [String: String] = [:]) async throws -> IntakeStack {
        try await SigningFlowTests.start(
            services: services,
            extra: ["KK_DELIVERY_CONFIRM_SECONDS": String(confirmSeconds), "KK_DELIVERY_ATTEMPTS": String(attempts), "KK_DELIVERY_POLL_MS": "200"]
                .merging(extra) { _, new in new })
    }

    /// A request signed by the Kepala Dinas; returns its number.
    static func signed(_ stack: IntakeStack, _ reason: RequestReason, family index: Int, phone: String) async throws -> String {
        let family = try await SigningFlowTests.kk(stack, index)
        let number = try await SigningFlowTests.toSigning(stack, reason, family: family, phone: phone)
        let signed = try stack.officer("wahyuni", ["sign", number], tool: "kk-sign")
        #expect(signed.status == 0, "\(signed.output)")
        return number
    }

    /// The documents the sandbox received for `phone`, waiting until there are `count`.
    static func documents(_ stack: IntakeStack, to phone: String, count: Int) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + .seconds(90)
        var found: [[String: Any]] = []
        repeat {
            found = try await stack.sent().filter { $0["to"] as? String == phone && $0["type"] as? String == "document" }
            if found.count >= count { break }
            try await Task.sleep(for: .milliseconds(200))
        } while ContinuousClock.now < deadline
        #expect(found.count >= count, "expected \(count) documents to \(phone), got \(found.count)")
        return found
    }

    static func waitForState(_ stack: IntakeStack, _ number: String, _ state: RequestState) async throws {
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline, try await stack.state(of: number) != state.rawValue {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try await stack.state(of: number) == state.rawValue)
    }

    @Test("the PDF named after the KK number, then the notice; WhatsApp's 'delivered' moves the request on and publishes kk.documents.delivered")
    func deliveredOnReceipt() async throws {
        let stack = try await Self.start()
        defer { stack.stop() }
        let phone = "6281500000001"
        let number = try await Self.signed(stack, .dataChange, family: 3, phone: phone)
        let kk = try await stack.pool.query("SELECT kk_number FROM kk_documents").rows[0].decode("kk_number", as: String.self)
        let document = try #require(try await Self.documents(stack, to: phone, count: 1).first)
        let body = try #require(document["document"] as? [String: Any])
        #expect(body["filename"] as? String == "KK-\(kk).pdf")
        let texts = try await stack.texts(to: phone, containing: "HVS A4 80 gram")
        let notice = try #require(texts.last { $0.contains("HVS A4 80 gram") })
        #expect(notice.contains("Nomor KK \(kk)") && notice.contains("Serahkan KK lama kepada petugas Dukcapil"))
        #expect(notice.contains("Disdukcapil Smart Bantul"), "the head's job changed, which the KTP shows")
        let sentSeq = try #require(document["seq"] as? Int)
        let noticeSeq = try await stack.sent().first { ($0["text"] as? [String: Any])?["body"] as? String == notice }?["seq"] as? Int
        #expect((noticeSeq ?? 0) > sentSeq, "the notice follows the PDF")
        #expect(try await stack.state(of: number) == RequestState.signed.rawValue, "sent is not yet delivered")

        let wamid = try #require(document["wa_message_id"] as? String)
        #expect(try await stack.post(Webhook.status(id: wamid, to: phone, "sent")) == 200)
        #expect(try await stack.post(Webhook.status(id: wamid, to: phone, "delivered")) == 200)
        try await Self.waitForState(stack, number, .delivered)
        let published = try await stack.pool.query("SELECT payload FROM outbox WHERE topic LIKE '%kk.documents.delivered'").rows
        #expect(published.count == 1)
        // A second receipt (read) changes nothing.
        #expect(try await stack.post(Webhook.status(id: wamid, to: phone, "read")) == 200)
        try await Task.sleep(for: .seconds(1))
        #expect(try await stack.pool.query("SELECT payload FROM outbox WHERE topic LIKE '%kk.documents.delivered'").rows.count == 1)
        let status = try stack.officer("joko", ["status", number], tool: "kk-deliver")
        #expect(
            status.status == 0 && status.output.contains("Pengiriman  diterima pemohon, percobaan 1") && status.output.contains("Kiriman PDF (1)"),
            "\(status.output)")
    }

    @Test("WhatsApp reports a failure: the KK is sent again and the retry is confirmed")
    func failureThenRetry() async throws {
        let stack = try await Self.start()
        defer { stack.stop() }
        let phone = "6281500000002"
        let number = try await Self.signed(stack, .lost, family: 5, phone: phone)
        let first = try #require(try await Self.documents(stack, to: phone, count: 1).first?["wa_message_id"] as? String)
        #expect(try await stack.post(Webhook.status(id: first, to: phone, "failed")) == 200)
        let second = try #require(try await Self.documents(stack, to: phone, count: 2).last?["wa_message_id"] as? String)
        #expect(second != first)
        let notices = try await stack.texts(to: phone, containing: "HVS A4 80 gram", count: 2).filter { $0.contains("HVS A4 80 gram") }
        #expect(notices.count == 2 && notices[0].contains("KK lama yang hilang sudah tidak berlaku") && !notices[0].contains("Smart Bantul"))
        #expect(try await stack.post(Webhook.status(id: second, to: phone, "delivered")) == 200)
        try await Self.waitForState(stack, number, .delivered)
        let attempts = try await stack.pool.query("SELECT attempt FROM deliveries").rows[0].decode("attempt", as: Int32.self)
        #expect(attempts == 2)
    }

    @Test("a delivery never confirmed ends in the print officer's queue, failures first; download gives the signed PDF; resend sends it again")
    func neverConfirmed() async throws {
        let stack = try await Self.start(confirmSeconds: 1, attempts: 2)
        defer { stack.stop() }
        let phone = "6281500000003"
        let number = try await Self.signed(stack, .damaged, family: 7, phone: phone)
        _ = try await Self.documents(stack, to: phone, count: 2)
        let deadline = ContinuousClock.now + .seconds(90)
        var queue = ""
        repeat {
            queue = try stack.officer("joko", ["queue"], tool: "kk-deliver").output
            if queue.contains("GAGAL, perlu petugas") { break }
            try await Task.sleep(for: .milliseconds(300))
        } while ContinuousClock.now < deadline
        #expect(queue.contains(number) && queue.contains("GAGAL, perlu petugas") && queue.contains("percobaan 2"), "\(queue)")
        #expect(try await stack.state(of: number) == RequestState.signed.rawValue)

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("unduh-\(UUID().uuidString.prefix(8))-\(number).pdf")
        let downloaded = try stack.officer("joko", ["download", number, "--out", file.path], tool: "kk-deliver")
        #expect(downloaded.status == 0, "\(downloaded.output)")
        let stored = try await stack.pool.query("SELECT m.bytes FROM kk_documents d JOIN media m ON m.id = d.media_id").rows[0].decode(
            "bytes", as: [UInt8].self)
        #expect(Array(try Data(contentsOf: file)) == stored)
        let notHis = try stack.officer("siti", ["download", number, "--out", file.path], tool: "kk-deliver")
        #expect(notHis.status != 0 && notHis.output.contains("Petugas Cetak"), "\(notHis.output)")

        let resent = try stack.officer("joko", ["resend", number], tool: "kk-deliver")
        #expect(resent.status == 0, "\(resent.output)")
        let third = try #require(try await Self.documents(stack, to: phone, count: 3).last?["wa_message_id"] as? String)
        #expect(try await stack.post(Webhook.status(id: third, to: phone, "delivered")) == 200)
        try await Self.waitForState(stack, number, .delivered)
        #expect(try stack.officer("joko", ["queue"], tool: "kk-deliver").output.contains("Semua KK yang sudah ditandatangani sudah diterima pemohon."))
    }

    @Test(
        "a wa.outbound naming another family's signed KK is dead-lettered by the gateway, which checks the owner in the database; nothing reaches the other number"
    )
    func documentOnlyToItsApplicant() async throws {
        let stack = try await Self.start()
        defer { stack.stop() }
        let owner = "6281500000041"
        let stranger = "6281500000042"
        let number = try await Self.signed(stack, .lost, family: 5, phone: owner)
        _ = try await Self.documents(stack, to: owner, count: 1)
        _ = try await stack.ask("halo", from: stranger)  // the stranger is a WhatsApp contact of the office
        let row = try await stack.pool.query(
            "SELECT d.media_id, d.request_id FROM kk_documents d JOIN requests r ON r.id = d.request_id WHERE r.number = \(number)"
        ).rows[0]
        let mediaID = try row.decode("media_id", as: UUID.self)
        let forged = WhatsAppOutbound(
            applicantRef: RequestStore.applicantRef(for: stranger), kind: .document, text: "KK Anda", mediaId: mediaID, fileName: "KK.pdf",
            requestId: try row.decode("request_id", as: UUID.self))
        let envelope = EventEnvelope(payload: forged, requestId: nil, actor: Actor(role: .system, id: "penyusup"))
        try await DeadLetterReplayTests.publish(Array(envelope.encoded()), key: forged.applicantRef, topic: .waOutbound, stack: stack)
        try await TestStack.waitFor("the forged send to be dead-lettered") {
            try await stack.pool.query("SELECT 1 AS x FROM dead_letters WHERE reason LIKE '%of another applicant%'").rows.count == 1
        }
        let reason = try await stack.pool.query("SELECT consumer, reason FROM dead_letters").rows[0]
        #expect(try reason.decode("consumer", as: String.self) == "kk-gateway")
        #expect(try await stack.sent().filter { $0["to"] as? String == stranger && $0["type"] as? String == "document" }.isEmpty)
        // The send ledger keeps the refusal: the forged send failed with the reason, only the owner's copy was sent.
        let ledger = try await stack.pool.query("SELECT state, last_error FROM wa_outbound WHERE kind = 'document' ORDER BY claimed_at").rows.map {
            (try $0.decode("state", as: String.self), try $0.decode("last_error", as: String?.self))
        }
        #expect(ledger.map(\.0) == ["sent", "failed"], "\(ledger)")
        #expect(ledger.last?.1?.contains("of another applicant") == true, "\(ledger)")
    }

    @Test(
        "a receipt the gateway recorded but kk-deliver never matched (it outran the gateway's commit of the send) still confirms the delivery, without a second PDF"
    )
    func receiptThatOutranTheSend() async throws {
        let stack = try await Self.start()
        defer { stack.stop() }
        let phone = "6281500000051"
        let number = try await Self.signed(stack, .lost, family: 6, phone: phone)
        let document = try #require(try await Self.documents(stack, to: phone, count: 1).first)
        let wamid = try #require(document["wa_message_id"] as? String)
        // What the gateway stores for a "delivered" webhook; the wa.status event kk-deliver would
        // have matched is left out, as when it arrived before the send's row was committed.
        try await stack.pool.execute(
            """
            INSERT INTO wa_message_status (wa_message_id, applicant_ref, status, rank, updated_at)
            VALUES (\(wamid), \(RequestStore.applicantRef(for: phone)), 'delivered', 2, now())
            """)
        try await Self.waitForState(stack, number, .delivered)
        #expect(try await stack.sent().filter { $0["to"] as? String == phone && $0["type"] as? String == "document" }.count == 1)
        let published = try await stack.pool.query("SELECT count(*)::bigint AS n FROM outbox WHERE topic LIKE '%kk.documents.delivered'").rows[0]
        #expect(try published.decode("n", as: Int64.self) == 1)
    }
}
