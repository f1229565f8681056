import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-verify queue`: print requests waiting for the Kasi/Kabid (SOP 5-6).
struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Antrean verifikasi Kasi/Kabid (SOP 5-6), yang terlama di atas, dengan petugas entri dan lama menunggu.")

    func run() async throws {
        let lines = try await OfficerCommandRunner.run(service: VerificationHandler.name, command: "queue", allowed: [.verifier]) { _, pool in
            try await pool.withTransaction { tx in
                try await OfficerQueue.verification.list(in: tx).map { entry, request in
                    QueueListing.line(request, entry: entry, steps: [.s5, .s6], detail: "dientri \(request.preparedBy ?? "-")")
                }
            }
        }
        if lines.isEmpty {
            print("Antrean verifikasi kosong.")
        } else {
            print("\(lines.count) permohonan cetak menunggu verifikasi (SOP 5-6):")
            lines.forEach { print($0) }
        }
    }
}
