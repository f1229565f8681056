import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-sign queue`: verified drafts waiting for the Kepala Dinas' signature (SOP 7).
struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Antrean tanda tangan Kepala Dinas (SOP 7), yang terlama di atas, dengan verifikator dan lama menunggu.")

    func run() async throws {
        let lines = try await OfficerCommandRunner.run(service: SigningHandler.name, command: "queue", allowed: [.headOfDepartment]) { _, pool in
            try await pool.withTransaction { tx in
                var lines: [String] = []
                for (entry, request) in try await OfficerQueue.signing.list(in: tx) {
                    let draft = try await FamilyDraft.load(requestID: request.id, in: tx)
                    lines.append(QueueListing.line(
                        request, entry: entry, steps: [.s7],
                        detail: "KK \(draft?.kkNumber ?? "-"), diverifikasi \(draft?.verifiedBy ?? "-")"))
                }
                return lines
            }
        }
        if lines.isEmpty {
            print("Antrean tanda tangan kosong.")
        } else {
            print("\(lines.count) KK menunggu tanda tangan elektronik (SOP 7):")
            lines.forEach { print($0) }
        }
    }
}
