import Foundation
import KKDomain
import KKTesting
import Postgres
import Testing

/// Issue 19 item 10: SOP 8 and 10 as the SOP writes them, when an office sets
/// KK_DELIVERY_MODE and KK_ARCHIVE_MODE to print-officer. Nothing is sent or
/// archived by itself; the print officer sends (`kk-deliver send`) and
/// archives (`kk-archive confirm`), and the steps are recorded as theirs.
@Suite("SOP 8 and 10 by the print officer, when the office runs them as written", .serialized)
struct PrintOfficerStepsTests {
    @Test("the signed KK waits for `kk-deliver send`, the delivered one for `kk-archive confirm`; both steps are the print officer's; repeats are refused")
    func printOfficerSendsAndArchives() async throws {
        let (stack, _) = try await ArchiveFlowTests.start(extra: ["KK_DELIVERY_MODE": "print-officer", "KK_ARCHIVE_MODE": "print-officer"])
        defer { stack.stop() }
        let phone = "6281800000001"
        let number = try await DeliveryFlowTests.signed(stack, .dataChange, family: 1, phone: phone)

        // SOP 8 waits for the print officer: listed as ready, nothing sent.
        let queue = try await stack.waitInQueue(number, officer: "joko", tool: "kk-deliver")
        #expect(queue.contains("SIAP DIKIRIM: kk-deliver send"), "\(queue)")
        #expect(try await stack.sent().filter { $0["to"] as? String == phone && $0["type"] as? String == "document" }.isEmpty)
        #expect(try stack.officer("siti", ["send", number], tool: "kk-deliver").status != 0, "only the print officer sends")
        // The PDF goes only to a member of the signed family: an applicant whose identity names another family is not sent it.
        let identity = try await stack.pool.query(
            "SELECT i.request_id, i.kk_number FROM applicant_identities i JOIN requests r ON r.id = i.request_id WHERE r.number = \(number)"
        ).rows[0]
        let requestID = try identity.decode("request_id", as: UUID.self)
        let family = try #require(try identity.decode("kk_number", as: String?.self))
        let stranger = String(family.prefix(12)) + (family.hasSuffix("9999") ? "9998" : "9999")
        try await stack.pool.execute("UPDATE applicant_identities SET kk_number = \(stranger) WHERE request_id = \(requestID)")
        let held = try stack.officer("joko", ["send", number], tool: "kk-deliver")
        #expect(held.status != 0 && held.output.contains("identitas pemohon") && held.output.contains("tidak dikirim"), "\(held.output)")
        try await stack.pool.execute("UPDATE applicant_identities SET kk_number = \(family) WHERE request_id = \(requestID)")
        let sent = try stack.officer("joko", ["send", number], tool: "kk-deliver")
        #expect(sent.status == 0, "\(sent.output)")
        let again = try stack.officer("joko", ["send", number], tool: "kk-deliver")
        #expect(again.status != 0 && again.output.contains("sudah dikirim") && again.output.contains("kk-deliver resend"), "\(again.output)")
        let wamid = try #require(try await DeliveryFlowTests.documents(stack, to: phone, count: 1).first?["wa_message_id"] as? String)
        #expect(try await stack.post(Webhook.status(id: wamid, to: phone, "delivered")) == 200)
        try await DeliveryFlowTests.waitForState(stack, number, .delivered)

        // SOP 10 waits too: in the archive queue, still delivered.
        let archiveQueue = try await stack.waitInQueue(number, officer: "joko", tool: "kk-archive")
        #expect(archiveQueue.contains("kk-archive confirm \(number)"), "\(archiveQueue)")
        #expect(try await stack.state(of: number) == RequestState.delivered.rawValue)
        let confirmed = try stack.officer("joko", ["confirm", number], tool: "kk-archive")
        #expect(confirmed.status == 0 && confirmed.output.contains("diarsipkan"), "\(confirmed.output)")
        #expect(try await stack.state(of: number) == RequestState.archived.rawValue)
        let twice = try stack.officer("joko", ["confirm", number], tool: "kk-archive")
        #expect(twice.status != 0 && twice.output.contains("sudah diarsipkan"), "\(twice.output)")

        // Both steps are the print officer's in the event log (and so in the SLA report's per-officer rows).
        let actors = try await stack.pool.query(
            """
            SELECT e.action, e.actor_role, e.actor_id FROM request_events e JOIN requests r ON r.id = e.request_id
            WHERE r.number = \(number) AND e.action IN (\(RequestAction.deliver.rawValue), \(RequestAction.archive.rawValue)) ORDER BY e.version
            """
        ).rows.map {
            "\(try $0.decode("action", as: String.self)):\(try $0.decode("actor_role", as: String.self)):\(try $0.decode("actor_id", as: String.self))"
        }
        let officer = Role.printOfficer.rawValue
        #expect(actors == ["\(RequestAction.deliver.rawValue):\(officer):joko", "\(RequestAction.archive.rawValue):\(officer):joko"], "\(actors)")
    }

    @Test("a mode other than automatic or print-officer stops the service at start, naming the variable")
    func unknownMode() throws {
        let deliver = try ChildProcess.start(
            "kk-deliver", ["serve"], environment: AdminProcessTests.unreachableServices.merging(["KK_DELIVERY_MODE": "kadang"]) { $1 }
        ).wait()
        #expect(deliver.status != 0 && deliver.output.contains("KK_DELIVERY_MODE has the value 'kadang'"), "\(deliver.output)")
        let key = FileManager.default.temporaryDirectory.appendingPathComponent("kunci-arsip-\(UUID().uuidString.prefix(6))")
        try Data((UUID().uuidString + UUID().uuidString).utf8).write(to: key)
        let folders = FileManager.default.temporaryDirectory.appendingPathComponent("arsip-\(UUID().uuidString.prefix(6))").path
        let archive = try ChildProcess.start(
            "kk-archive", ["serve"],
            environment: AdminProcessTests.unreachableServices.merging([
                "KK_ARCHIVE_MODE": "manual", "KK_ARCHIVE_TARGETS": "a=\(folders)/a,b=\(folders)/b,c=\(folders)/c", "KK_ARCHIVE_KEY_FILE": key.path,
            ]) { $1 }
        ).wait()
        #expect(archive.status != 0 && archive.output.contains("KK_ARCHIVE_MODE has the value 'manual'"), "\(archive.output)")
    }
}
