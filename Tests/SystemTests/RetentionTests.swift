import Foundation
import KKDomain
import KKStore
import KKTesting
import Postgres
import Testing

/// Issue 19 item 4, the retention schedule: photos, files and the NIK of a
/// request closed more than KK_RETENTION_DOCUMENT_DAYS ago leave PostgreSQL
/// (the digest stays, the row points at the archive), old message texts and
/// published outbox rows go; `kk-admin retention` previews and runs it, the
/// periodic job of kk-admin serve runs it by itself, and both are audited.
@Suite("The retention schedule of personal data: a command and a periodic job, audited", .serialized)
struct RetentionTests {
    static let day: TimeInterval = 86_400

    /// A request completed on WhatsApp, then cancelled by its applicant; returns its id and number.
    static func cancelledRequest(_ stack: IntakeStack, phone: String) async throws -> (UUID, String) {
        let number = try await stack.completeRequest(.lost, from: phone)
        _ = try await stack.ask("batal \(number)", from: phone)
        _ = try await stack.ask("ya", from: phone)
        #expect(try await stack.state(of: number) == RequestState.cancelled.rawValue)
        let id = try await stack.pool.query("SELECT id FROM requests WHERE number = \(number)").rows[0].decode("id", as: UUID.self)
        return (id, number)
    }

    /// Moves a request's closing `days` into the past, as if it had been cancelled then.
    static func closed(_ id: UUID, daysAgo days: Double, in stack: IntakeStack) async throws {
        try await stack.pool.execute("UPDATE requests SET state_entered_at = \(Date().addingTimeInterval(-days * day)) WHERE id = \(id)")
    }

    static func storedFiles(_ id: UUID, in stack: IntakeStack) async throws -> Int64 {
        try await stack.pool.query("SELECT count(*)::bigint AS n FROM media WHERE request_id = \(id) AND bytes IS NOT NULL").rows[0].decode("n", as: Int64.self)
    }

    @Test("kk-admin retention previews, then removes only what is past the schedule; the digest stays and points at the archive; every request is audited")
    func commandAppliesTheSchedule() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let (old, oldNumber) = try await Self.cancelledRequest(stack, phone: "6281900000001")
        let (recent, _) = try await Self.cancelledRequest(stack, phone: "6281900000002")
        try await Self.closed(old, daysAgo: 31, in: stack)
        try await Self.closed(recent, daysAgo: 29, in: stack)
        // Texts of 91 days ago, and one published outbox row of that age.
        try await stack.pool.execute(
            "UPDATE wa_inbound SET received_at = \(Date().addingTimeInterval(-91 * Self.day)) WHERE applicant_ref = \(RequestStore.applicantRef(for: "6281900000001"))"
        )
        let outboxID = try await stack.pool.query("SELECT min(id) AS id FROM outbox WHERE sent_at IS NOT NULL").rows[0].decode("id", as: Int64.self)
        try await stack.pool.execute("UPDATE outbox SET sent_at = \(Date().addingTimeInterval(-91 * Self.day)) WHERE id = \(outboxID)")
        // Two webhook bodies the gateway gave up recording (a number and words in each): one received 91 days ago, one today.
        var deadBodies: [Int64] = []
        for daysAgo in [91.0, 1.0] {
            let body = Webhook.message(id: "wamid.dead-\(Int(daysAgo))", from: "6281900000009", #""type":"text","text":{"body":"nama saya Nur'aini"}"#)
            deadBodies.append(
                try await stack.pool.query(
                    """
                    INSERT INTO wa_webhook_inbox (sender_ref, body, received_at, attempts, dead_at, last_error)
                    VALUES (NULL, \(Array(body.utf8)), \(Date().addingTimeInterval(-daysAgo * Self.day)), 12, now(), 'uji') RETURNING id
                    """
                ).rows[0].decode("id", as: Int64.self))
        }
        let oldFiles = try await Self.storedFiles(old, in: stack)
        #expect(oldFiles == 2)

        let preview = try stack.admin(["retention"])
        #expect(preview.status == 0, "\(preview.output)")
        #expect(preview.output.contains("dihapus dari sistem layanan 30 hari setelah permohonan selesai"), "\(preview.output)")
        #expect(
            preview.output.contains("Akan dihapus bila dijalankan (--run):")
                && preview.output.contains("Permohonan selesai/dibatalkan yang datanya dihapus: 1"), "\(preview.output)")
        #expect(preview.output.contains("Baris outbox terkirim dihapus: 1"), "\(preview.output)")
        #expect(preview.output.contains("Kiriman webhook WhatsApp yang gagal dicatat dihapus: 1"), "\(preview.output)")
        #expect(try await Self.storedFiles(old, in: stack) == 2, "a preview removes nothing")

        let run = try stack.admin(["retention", "--run"])
        #expect(
            run.status == 0 && run.output.contains("Dihapus sekarang:")
                && run.output.contains("Foto, berkas dan PDF KK (bytes dihapus, salinan tetap di arsip): 2"), "\(run.output)")
        #expect(try await Self.storedFiles(old, in: stack) == 0)
        #expect(try await Self.storedFiles(recent, in: stack) == 2, "29 days after the close: kept")
        let purged = try await stack.pool.query("SELECT sha256, location, purged_at FROM media WHERE request_id = \(old)").rows
        for row in purged {
            #expect(try row.decode("location", as: String?.self) == "archive:" + (try row.decode("sha256", as: String.self)))
            #expect(try row.decode("purged_at", as: Date?.self) != nil)
        }
        #expect(try await stack.pool.query("SELECT 1 AS x FROM applicant_identities WHERE request_id = \(old)").rows.isEmpty, "the NIK went with the files")
        #expect(try await !stack.pool.query("SELECT 1 AS x FROM applicant_identities WHERE request_id = \(recent)").rows.isEmpty)
        let texts = try await stack.pool.query(
            "SELECT count(*)::bigint AS n FROM wa_inbound WHERE applicant_ref = \(RequestStore.applicantRef(for: "6281900000001")) AND body IS NOT NULL"
        ).rows[0].decode("n", as: Int64.self)
        #expect(texts == 0)
        #expect(try await stack.pool.query("SELECT 1 AS x FROM outbox WHERE id = \(outboxID)").rows.isEmpty)
        let remaining = try await stack.pool.query("SELECT id FROM wa_webhook_inbox WHERE dead_at IS NOT NULL").rows.map { try $0.decode("id", as: Int64.self) }
        #expect(remaining == [deadBodies[1]], "the dead body of 91 days ago is deleted, today's kept")
        // The officers still see that the documents were there, and the request's history.
        let show = try stack.officer("siti", ["show", oldNumber])
        #expect(show.status == 0 && show.output.contains("Dokumen (2):"), "\(show.output)")
        // The audit: the command (an administrator's) and one entry for the request.
        let audit = try await stack.pool.query(
            "SELECT username, detail FROM audit_log WHERE command = 'retensi' AND request_id = \(old)"
        ).rows
        #expect(audit.count == 1)
        #expect(try audit.first?.decode("username", as: String.self) == AdminService.administrator)
        #expect(try audit.first?.decode("detail", as: String?.self)?.contains("2 berkas") == true)
        // Run again: nothing left to remove.
        let again = try stack.admin(["retention", "--run"])
        #expect(again.output.contains("Permohonan selesai/dibatalkan yang datanya dihapus: 0"), "\(again.output)")
    }

    @Test("kk-admin serve applies the schedule by itself every KK_RETENTION_INTERVAL_SECONDS, audited as the job; a bad setting stops it at start")
    func periodicJob() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let (id, _) = try await Self.cancelledRequest(stack, phone: "6281900000011")
        try await Self.closed(id, daysAgo: 40, in: stack)
        var environment = stack.daemonEnvironment(for: "kk-admin", replica: true)
        environment["KK_RETENTION_INTERVAL_SECONDS"] = "1"
        let job = try await Daemon.start("kk-admin", ["serve"], environment: environment, marker: "kk-admin started")
        defer { job.stop() }
        try await TestStack.waitFor("the periodic retention run") { try await Self.storedFiles(id, in: stack) == 0 }
        let audited = try await stack.pool.query(
            "SELECT count(*)::bigint AS n FROM audit_log WHERE command = 'retensi' AND request_id = \(id) AND username = 'retensi-otomatis'"
        ).rows[0].decode("n", as: Int64.self)
        #expect(audited == 1)

        environment["KK_RETENTION_DOCUMENT_DAYS"] = "0"
        let refused = try ChildProcess.start("kk-admin", ["serve"], environment: environment).wait()
        #expect(refused.status != 0 && refused.output.contains("KK_RETENTION_DOCUMENT_DAYS"), "\(refused.output)")
    }
}
