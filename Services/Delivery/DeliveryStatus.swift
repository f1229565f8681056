import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// Every send of a request's KK and what WhatsApp said about it.
struct DeliveryStatus: RequestShowing, PrintOfficerOperation {
    static let name = "status"
    static let service = OfficerService.deliver
    static let abstract = "Status pengiriman KK: setiap pengiriman dan laporan WhatsApp-nya."
    let number: String

    func perform(_ call: OfficerCall) async throws -> String {
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            var lines = RequestSummary.lines(request)
            guard let delivery = try await Deliveries.find(request.id, in: tx) else {
                lines.append("Pengiriman: belum ada (KK belum ditandatangani).")
                return lines.joined(separator: "\n")
            }
            lines.append(
                "Pengiriman  \(DeliveryState(rawValue: delivery.state)?.indonesianName ?? delivery.state), percobaan \(delivery.attempt)"
                    + (delivery.lastError.map { ", terakhir gagal: \($0)" } ?? ""))
            if let at = delivery.deliveredAt { lines.append("Diterima    \(WIBTime.format(at))") }
            let sends = try await Deliveries.sends(of: request.id, in: tx)
            lines.append("Kiriman PDF (\(sends.count)):")
            for send in sends {
                let status: String =
                    switch send.ledgerState {
                    case "sending": "sedang dikirim"
                    case "in_doubt": "mungkin sudah terkirim (pengiriman terputus)"
                    case "failed": "ditolak WhatsApp"
                    default: send.status ?? "belum ada laporan"
                    }
                lines.append("  \(WIBTime.format(send.claimedAt))  \(status)\(send.viaTemplate ? "  (templat)" : "")")
            }
            return lines.joined(separator: "\n")
        }
    }
}
