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
            try await tx.query(
                """
                SELECT * FROM (
                    SELECT r.number, r.reason, d.state, d.attempt, d.last_error, d.updated_at, q.taken_by
                    FROM deliveries d JOIN requests r ON r.id = d.request_id
                    LEFT JOIN officer_queue q ON q.queue = \(OfficerQueue.delivery.rawValue) AND q.request_id = d.request_id
                    WHERE d.state <> \(DeliveryState.delivered.rawValue)
                    UNION ALL
                    SELECT r.number, r.reason, 'ready' AS state, 0 AS attempt, NULL AS last_error, q.entered_at AS updated_at, q.taken_by
                    FROM officer_queue q JOIN requests r ON r.id = q.request_id
                    WHERE q.queue = \(OfficerQueue.delivery.rawValue) AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.request_id = q.request_id)
                ) pending
                ORDER BY (state = 'ready') DESC, (state = ANY(\(PostgresTextArray(DeliveryState.withOfficer)))) DESC, updated_at, number
                """
            ).rows.map { row -> String in
                let state = try row.decode("state", as: String.self)
                // 'ready': signed, waiting for the print officer's `send` (no delivery yet).
                let label = DeliveryState(rawValue: state)?.indonesianName ?? "SIAP DIKIRIM: kk-deliver send"
                let reason = RequestReason(rawValue: try row.decode("reason", as: String.self))?.indonesianName ?? "-"
                return [
                    try row.decode("number", as: String.self), reason.padding(toLength: 14, withPad: " ", startingAt: 0), label,
                    "percobaan \(try row.decode("attempt", as: Int32.self))",
                    try row.decode("last_error", as: String?.self).map { "(\($0))" } ?? "",
                    try row.decode("taken_by", as: String?.self).map { "diambil \($0)" } ?? "",
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
