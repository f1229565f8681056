import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The verification queue (SOP 5-6) as the Kasi/Kabid reads it, oldest first.
struct VerificationQueue: OfficerOperation {
    static let name = "queue"
    static let allowed: Set<Role> = [.verifier]

    func perform(_ call: OfficerCall) async throws -> [String] {
        try await call.transaction { tx in
            try await OfficerQueue.verification.list(in: tx).map { entry, request in
                QueueListing.line(request, entry: entry, steps: [.s5, .s6], detail: "dientri \(request.preparedBy ?? "-")")
            }
        }
    }
}

/// `kk-verify queue`: print requests waiting for the Kasi/Kabid (SOP 5-6).
struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Antrean verifikasi Kasi/Kabid (SOP 5-6), yang terlama di atas, dengan petugas entri dan lama menunggu.")
    @OptionGroup var server: ServerOption

    func run() async throws {
        let lines = try await server.client(.verify).call(VerificationQueue())
        if lines.isEmpty {
            print("Antrean verifikasi kosong.")
        } else {
            print("\(lines.count) permohonan cetak menunggu verifikasi (SOP 5-6):")
            lines.forEach { print($0) }
        }
    }
}
