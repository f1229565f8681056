import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// Signed KKs not yet confirmed delivered, failures first, as the print officer
/// reads them; with `KK_DELIVERY_MODE=print-officer` also the signed KKs
/// waiting for the officer to send them.
struct DeliveryQueue: PrintOfficerOperation {
    static let name = "queue"

    func perform(_ call: OfficerCall) async throws -> [String] {
        try await call.transaction { tx in
            try await Deliveries.pending(in: tx).map { delivery -> String in
                // 'ready': signed, waiting for the print officer's `send` (no delivery yet).
                let label = DeliveryState(rawValue: delivery.state)?.indonesianName ?? "SIAP DIKIRIM: kk-deliver send"
                let reason = RequestReason(rawValue: delivery.reason)?.indonesianName ?? "-"
                return [
                    delivery.number, reason.padding(toLength: 14, withPad: " ", startingAt: 0), label, "percobaan \(delivery.attempt)",
                    delivery.lastError.map { "(\($0))" } ?? "", delivery.takenBy.map { "diambil \($0)" } ?? "",
                ].filter { !$0.isEmpty }.joined(separator: "  ")
            }
        }
    }
}

/// `kk-deliver queue`: signed KKs not yet confirmed delivered, failures first.
struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "KK yang sudah ditandatangani tetapi belum diterima pemohon; yang gagal (perlu petugas) di atas.")
    @OptionGroup var server: ServerOption

    func run() async throws {
        let lines = try await server.client(.deliver).call(DeliveryQueue())
        if lines.isEmpty {
            print("Semua KK yang sudah ditandatangani sudah diterima pemohon.")
        } else {
            print("\(lines.count) KK belum dikonfirmasi diterima (SOP 8-9):")
            lines.forEach { print($0) }
        }
    }
}
