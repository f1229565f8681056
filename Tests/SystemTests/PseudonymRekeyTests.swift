import Foundation
import KKConfiguration
import KKDomain
import KKStore
import KKTesting
import Postgres
import Testing

/// A new pseudonym key (set on a database from before it, or replacing one
/// that leaked) gives every applicant a new id; `kk-admin rekey-applicants`
/// moves them, so a returning applicant still finds their request.
@Suite("Applicant ids follow a new pseudonym key", .serialized)
struct PseudonymRekeyTests {
    @Test(
        "with a new key the gateway and kk-intake refuse to start until rekey-applicants; after it, a returning applicant's messages are taken and find their request; the event log keeps the old id; a second run changes nothing"
    )
    func rekey() async throws {
        let stack = try await IntakeStack.start()
        defer { stack.stop() }
        let phone = "6281400000071"
        let number = try await stack.completeRequest(.lost, from: phone)
        let oldRef = RequestStore.applicantRef(for: phone)
        let eventsBefore = try await stack.pool.query("SELECT count(*)::bigint AS n FROM request_events WHERE actor_id = \(oldRef)").rows[0]
            .decode("n", as: Int64.self)

        // The office replaces the key: gateway and intake stopped, the applicants moved, both started with the new key.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kk-rekey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyFile = folder.appendingPathComponent("pseudonym-key")
        try Data("kunci-pseudonim-baru-\(UUID().uuidString)".utf8).write(to: keyFile)
        let newKey = [ApplicantPseudonym.keyFileVariable: keyFile.path]
        try stack.daemon("kk-gateway").stop()
        try stack.daemon("kk-intake").stop()
        // Started with the new key before the applicants are moved, the gateway and kk-intake refuse, saying what to run.
        for service in ["kk-gateway", "kk-intake"] {
            let early = try ChildProcess.start(
                service, ["serve"], environment: stack.daemonEnvironment(for: service).merging(newKey) { _, new in new }
            ).wait(timeout: .seconds(60))
            #expect(early.status != 0 && early.output.contains("run `kk-admin rekey-applicants`"), "\(service): \(early.output)")
        }
        let moved = try AdminService.run(["rekey-applicants"], environment: stack.environment.merging(newKey) { _, new in new })
        #expect(moved.status == 0 && moved.output.contains("1 pemohon dipindahkan"), "\(moved.output)")
        let gateway = try await Daemon.start(
            "kk-gateway", ["serve"], environment: stack.environment.merging(newKey) { _, new in new }, marker: "outbox relay elected")
        defer { gateway.stop() }
        let intake = try await Daemon.start(
            "kk-intake", ["serve"], environment: stack.daemonEnvironment(for: "kk-intake").merging(newKey) { _, new in new }, marker: "outbox relay elected")
        defer { intake.stop() }

        let status = try await stack.ask("status", from: phone)
        #expect(status.contains(number), "the applicant's own request, found under the new id: \(status)")
        let refs = try await stack.pool.query("SELECT DISTINCT applicant_ref FROM requests WHERE applicant_phone = \(phone)").rows
            .map { try $0.decode("applicant_ref", as: String.self) }
        #expect(refs.count == 1 && refs[0] != oldRef)
        // The event log is a record of the past: its entries keep the id they were written with.
        #expect(
            try await stack.pool.query("SELECT count(*)::bigint AS n FROM request_events WHERE actor_id = \(oldRef)").rows[0]
                .decode("n", as: Int64.self) == eventsBefore)
        let again = try AdminService.run(["rekey-applicants"], environment: stack.environment.merging(newKey) { _, new in new })
        #expect(again.status == 0 && again.output.contains("tidak ada yang diubah"), "\(again.output)")
        #expect(
            try await stack.pool.query("SELECT count(*)::bigint AS n FROM audit_log WHERE command = 'rekey-applicants'").rows[0]
                .decode("n", as: Int64.self) == 2)
    }
}
