import Foundation
import KKDomain
import KKHTTP
import KKTesting
import Postgres
import Testing

/// The gateway's send ledger (issue 18): the Graph API is called with no
/// transaction open, and a gateway SIGKILLed after WhatsApp took a message but
/// before it recorded the answer does not send a second copy blindly.
@Suite("kk-gateway's send ledger: a send a crash interrupted is settled by WhatsApp's status, or sent again only when none comes; a KK never", .serialized)
struct SendLedgerTests {
    /// Makes the sandbox take the next send (of `type`) and never answer it, as when the gateway dies mid-send.
    static func hold(_ stack: IntakeStack, type: String? = nil) async throws {
        let answer = try await HTTPExchange.send(
            "POST", URL(string: "http://127.0.0.1:\(stack.sandboxPort)/_sandbox/hold?count=1\(type.map { "&type=\($0)" } ?? "")")!)
        #expect(answer.status == 200)
    }

    /// The ledger row of the message WhatsApp took (found by the callback data it carried).
    static func ledger(_ stack: IntakeStack, _ messageID: String) async throws -> (state: String, tries: Int32, whatsappID: String?) {
        let row = try #require(
            try await stack.pool.query("SELECT state, tries, wa_message_id FROM wa_outbound WHERE message_id = \(messageID)").rows.first,
            "no ledger row for \(messageID)")
        return (try row.decode("state", as: String.self), try row.decode("tries", as: Int32.self), try row.decode("wa_message_id", as: String?.self))
    }

    /// Waits until the gateway's consumer has committed `messageID` (its inbox has it).
    static func waitUntilHandled(_ stack: IntakeStack, _ messageID: String) async throws {
        try await TestStack.waitFor("kk-gateway to settle \(messageID)") {
            try await !stack.pool.query("SELECT 1 AS x FROM inbox WHERE consumer = 'kk-gateway' AND message_id = \(messageID)").rows.isEmpty
        }
    }

    /// Sends `text` as the applicant while the sandbox holds the reply, SIGKILLs the gateway
    /// once WhatsApp has the reply, and starts a new one. Returns the new gateway, the held
    /// reply and its message id (the callback data).
    static func crashWhileSending(_ stack: IntakeStack, _ text: String, from phone: String, gateway: Daemon) async throws
        -> (gateway: Daemon, held: [String: Any], messageID: String)
    {
        let before = try await stack.sent().filter { $0["to"] as? String == phone }.count
        try await hold(stack)
        try await stack.text(text, from: phone)
        let held = try #require(try await IntakeFlowTests.waitForMessages(stack, to: phone, count: before + 1).last)
        let messageID = try #require(held["biz_opaque_callback_data"] as? String, "every send names its message: \(held)")
        #expect(try await ledger(stack, messageID).state == "sending", "claimed before the Graph API call, not yet recorded")
        gateway.crash()
        let restarted = try await Daemon.start("kk-gateway", ["serve"], environment: stack.environment, marker: "outbox relay elected")
        return (restarted, held, messageID)
    }

    @Test(
        "a text WhatsApp took before the gateway was killed: its status settles it (no second copy), even one still in the webhook inbox; with no status within the wait it is sent once more"
    )
    func interruptedTexts() async throws {
        let stack = try await IntakeStack.start(extra: ["KK_WA_IN_DOUBT_WAIT_SECONDS": "15"])
        var gateway = try stack.daemon("kk-gateway")
        defer {
            gateway.stop()
            stack.stop()
        }
        let phone = "6281600000001"

        // 1. WhatsApp reports the held greeting delivered (echoing our message id): it is settled, never sent again.
        var crash = try await Self.crashWhileSending(stack, "halo", from: phone, gateway: gateway)
        gateway = crash.gateway
        let wamid = try #require(crash.held["wa_message_id"] as? String)
        #expect(try await stack.post(Webhook.status(id: wamid, to: phone, "delivered", callback: crash.messageID)) == 200)
        try await Self.waitUntilHandled(stack, crash.messageID)
        let settled = try await Self.ledger(stack, crash.messageID)
        #expect(settled.state == "sent" && settled.tries == 1 && settled.whatsappID == wamid)
        #expect(try await stack.sent().filter { $0["to"] as? String == phone }.count == 1, "one greeting, not two")

        // 2. No status ever comes for the held reply: after the wait it is sent once more, and recorded.
        crash = try await Self.crashWhileSending(stack, "halo", from: phone, gateway: gateway)
        gateway = crash.gateway
        try await Self.waitUntilHandled(stack, crash.messageID)
        let copies = try await stack.sent().filter { $0["biz_opaque_callback_data"] as? String == crash.messageID }
        #expect(copies.count == 2, "the held copy and one more")
        let ledger = try await Self.ledger(stack, crash.messageID)
        #expect(ledger.state == "sent" && ledger.tries == 2 && ledger.whatsappID == copies.last?["wa_message_id"] as? String)
        // A text's status is kept, not published: nothing downstream follows a text.
        let published = try await stack.pool.query("SELECT count(*)::bigint AS n FROM outbox WHERE topic LIKE '%wa.status'").rows[0]
        #expect(try published.decode("n", as: Int64.self) == 0)
        #expect(try await stack.pool.query("SELECT count(*)::bigint AS n FROM dead_letters").rows[0].decode("n", as: Int64.self) == 0)

        // 3. The status came, but waits in the webhook inbox unrecorded past the wait (behind an earlier body of the
        // applicant): WhatsApp took the message, so it is not sent again; the inbox settles it once it records the status.
        crash = try await Self.crashWhileSending(stack, "halo", from: phone, gateway: gateway)
        gateway = crash.gateway
        let held = try #require(crash.held["wa_message_id"] as? String)
        let status = Webhook.status(id: held, to: phone, "delivered", callback: crash.messageID)
        try await stack.pool.execute(
            "INSERT INTO wa_webhook_inbox (sender_ref, body, next_attempt_at) VALUES (NULL, \(Array(status.utf8)), now() + interval '1 hour')")
        try await Self.waitUntilHandled(stack, crash.messageID)
        #expect(try await stack.sent().filter { $0["biz_opaque_callback_data"] as? String == crash.messageID }.count == 1, "not sent again")
        #expect(try await Self.ledger(stack, crash.messageID).state == "sending", "settled by its status, not by the consumer")
        try await stack.pool.execute("UPDATE wa_webhook_inbox SET next_attempt_at = now()")
        try await TestStack.waitFor("the inbox to record the status") {
            try await Self.ledger(stack, crash.messageID).state == "sent"
        }
        let recorded = try await Self.ledger(stack, crash.messageID)
        #expect(recorded.tries == 1 && recorded.whatsappID == held)
    }

    @Test(
        "a KK the gateway was sending when killed is not sent again: the print officer sees it as 'mungkin sudah terkirim'; WhatsApp's later 'delivered' confirms it"
    )
    func interruptedKK() async throws {
        let stack = try await DeliveryFlowTests.start()
        var gateway = try stack.daemon("kk-gateway")
        defer {
            gateway.stop()
            stack.stop()
        }
        let phone = "6281600000011"
        let family = try await SigningFlowTests.kk(stack, 4)
        let number = try await SigningFlowTests.toSigning(stack, .lost, family: family, phone: phone)
        try await Self.hold(stack, type: "document")
        let signed = try stack.officer("wahyuni", ["sign", number], tool: "kk-sign")
        #expect(signed.status == 0, "\(signed.output)")
        let held = try #require(try await DeliveryFlowTests.documents(stack, to: phone, count: 1).first)
        let messageID = try #require(held["biz_opaque_callback_data"] as? String)
        gateway.crash()
        gateway = try await Daemon.start("kk-gateway", ["serve"], environment: stack.environment, marker: "outbox relay elected")

        var queue = ""
        try await TestStack.waitFor("the KK in doubt to reach the print officer's queue") {
            queue = try stack.officer("joko", ["queue"], tool: "kk-deliver").output
            return queue.contains("MUNGKIN SUDAH TERKIRIM")
        }
        #expect(queue.contains(number) && queue.contains("tanyakan pemohon"), "\(queue)")
        #expect(try await Self.ledger(stack, messageID).state == "in_doubt")
        // The notice after the PDF still goes; the PDF itself only once.
        _ = try #require(try await stack.texts(to: phone, containing: "HVS A4 80 gram").last { $0.contains("HVS A4 80 gram") })
        #expect(try await stack.sent().filter { $0["to"] as? String == phone && $0["type"] as? String == "document" }.count == 1)

        // WhatsApp did have it: its receipt (with our id) settles the ledger and confirms SOP 9.
        let wamid = try #require(held["wa_message_id"] as? String)
        #expect(try await stack.post(Webhook.status(id: wamid, to: phone, "delivered", callback: messageID)) == 200)
        try await DeliveryFlowTests.waitForState(stack, number, .delivered)
        let settled = try await Self.ledger(stack, messageID)
        #expect(settled.state == "sent" && settled.tries == 1 && settled.whatsappID == wamid)
        #expect(try stack.officer("joko", ["queue"], tool: "kk-deliver").output.contains("Semua KK yang sudah ditandatangani sudah diterima pemohon."))
    }
}
