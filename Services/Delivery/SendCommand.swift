import ArgumentParser
import Foundation
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// SOP 8 as the SOP writes it (`KK_DELIVERY_MODE=print-officer`): the print
/// officer sends the signed PDF and its notice to the applicant's WhatsApp.
/// WhatsApp's "delivered" then confirms SOP 9 as this officer's step.
struct SendKK: RequestOperation, PrintOfficerOperation {
    static let name = "send"
    let number: String

    func perform(_ call: OfficerCall) async throws -> Done {
        let officer = call.officer
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            guard try await Deliveries.find(request.id, in: tx) == nil else {
                throw CLIFailure("KK \(request.number) sudah dikirim; untuk mengirim salinan lagi gunakan `kk-deliver resend \(request.number)`.")
            }
            guard request.state == .signed else {
                throw CLIFailure("Permohonan \(request.number) belum ditandatangani Kepala Dinas (status: \(request.state.indonesianName)).")
            }
            if try await OfficerQueue.delivery.takeIfQueued(request, by: officer, in: tx) { try await OfficerQueue.delivery.remove(request.id, in: tx) }
            let messages = try await DeliveryAttempt.start(request, again: false, settings: .from(), sentBy: officer.username, in: tx)
            try await Outbox.enqueue(messages, source: DeliveryHandler.name, in: tx)
        }
        return Done()
    }
}

/// `kk-deliver send <no>`.
struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Kirim KK PDF yang sudah ditandatangani dan pemberitahuannya ke WhatsApp pemohon (SOP 8, bila kantor memakai KK_DELIVERY_MODE=print-officer)."
    )
    @Argument(help: "Nomor permohonan.") var number: String
    @OptionGroup var server: ServerOption

    func run() async throws {
        _ = try await server.client(.deliver).call(SendKK(number: number))
        print(
            "KK \(number.uppercased()) dikirim ke WhatsApp pemohon. Konfirmasi diterima (SOP 9) datang dari WhatsApp; lihat `kk-deliver status \(number.uppercased())`."
        )
    }
}
