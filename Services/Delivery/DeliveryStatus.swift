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
            guard let delivery = try await tx.query("SELECT * FROM deliveries WHERE request_id = \(request.id)").rows.first else {
                lines.append("Pengiriman: belum ada (KK belum ditandatangani).")
                return lines.joined(separator: "\n")
            }
            let state = try delivery.decode("state", as: String.self)
            lines.append(
                "Pengiriman  \(DeliveryState(rawValue: state)?.indonesianName ?? state), percobaan \(try delivery.decode("attempt", as: Int32.self))"
                    + (try delivery.decode("last_error", as: String?.self).map { ", terakhir gagal: \($0)" } ?? ""))
            if let at = try delivery.decode("delivered_at", as: Date?.self) { lines.append("Diterima    \(WIBTime.format(at))") }
            let sends = try await tx.query(
                """
                SELECT state, claimed_at, via_template, status FROM document_sends WHERE request_id = \(request.id) ORDER BY claimed_at
                """
            ).rows
            lines.append("Kiriman PDF (\(sends.count)):")
            for send in sends {
                let status: String =
                    switch try send.decode("state", as: String.self) {
                    case "sending": "sedang dikirim"
                    case "in_doubt": "mungkin sudah terkirim (pengiriman terputus)"
                    case "failed": "ditolak WhatsApp"
                    default: try send.decode("status", as: String?.self) ?? "belum ada laporan"
                    }
                lines.append(
                    "  \(WIBTime.format(try send.decode("claimed_at", as: Date.self)))  \(status)\(try send.decode("via_template", as: Bool.self) ? "  (templat)" : "")"
                )
            }
            return lines.joined(separator: "\n")
        }
    }
}
