import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-deliver status <no>`: every send of the KK and what WhatsApp said about it.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Status pengiriman KK: setiap pengiriman dan laporan WhatsApp-nya.")
    @Argument(help: "Nomor permohonan.") var number: String

    func run() async throws {
        let text = try await OfficerCommandRunner.run(
            service: DeliveryHandler.name, command: "status", allowed: [.printOfficer], requestNumber: number
        ) { _, pool in
            try await pool.withTransaction { tx in
                let request = try await RequestStore.load(number: number, in: tx)
                var lines = RequestSummary.lines(request)
                guard let delivery = try await tx.query("SELECT * FROM deliveries WHERE request_id = \(request.id)").rows.first else {
                    lines.append("Pengiriman: belum ada (KK belum ditandatangani).")
                    return lines.joined(separator: "\n")
                }
                lines.append(
                    "Pengiriman  \(try delivery.decode("state", as: String.self)), percobaan \(try delivery.decode("attempt", as: Int32.self))"
                        + (try delivery.decode("last_error", as: String?.self).map { ", terakhir gagal: \($0)" } ?? ""))
                if let at = try delivery.decode("delivered_at", as: Date?.self) { lines.append("Diterima    \(WIBTime.format(at))") }
                let sends = try await tx.query(
                    """
                    SELECT w.kind, w.sent_at, w.via_template, s.status, s.updated_at FROM wa_outbound w
                    LEFT JOIN wa_message_status s ON s.wa_message_id = w.wa_message_id
                    WHERE w.request_id = \(request.id) AND w.kind = 'document' ORDER BY w.sent_at
                    """
                ).rows
                lines.append("Kiriman PDF (\(sends.count)):")
                for send in sends {
                    let status = try send.decode("status", as: String?.self) ?? "belum ada laporan"
                    lines.append("  \(WIBTime.format(try send.decode("sent_at", as: Date.self)))  \(status)\(try send.decode("via_template", as: Bool.self) ? "  (templat)" : "")")
                }
                return lines.joined(separator: "\n")
            }
        }
        print(text)
    }
}
