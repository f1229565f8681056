import ArgumentParser
import Foundation
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The print officer sends the PDF and the notice again.
struct ResendKK: RequestOperation, PrintOfficerOperation {
    static let name = "resend"
    let number: String

    func perform(_ call: OfficerCall) async throws -> Done {
        let officer = call.officer
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            guard try await Deliveries.find(request.id, lock: true, in: tx) != nil else {
                throw CLIFailure("Permohonan \(request.number) belum pernah dikirim (status: \(request.state.indonesianName)).")
            }
            if try await OfficerQueue.delivery.takeIfQueued(request, by: officer, in: tx) { try await OfficerQueue.delivery.remove(request.id, in: tx) }
            let delivered = request.state != .signed
            let messages = try await DeliveryAttempt.start(request, again: true, settings: .from(), in: tx)
            if delivered {
                // Already confirmed: a copy for the applicant, the request stays delivered.
                try await Deliveries.markDelivered(request.id, at: nil, in: tx)
            }
            try await Outbox.enqueue(messages, source: DeliveryHandler.name, in: tx)
        }
        return Done()
    }
}

/// `kk-deliver resend <no>`.
struct Resend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Kirim ulang KK PDF dan pemberitahuannya ke WhatsApp pemohon.")
    @Argument(help: "Nomor permohonan.") var number: String
    @OptionGroup var server: ServerOption

    func run() async throws {
        _ = try await server.client(.deliver).call(ResendKK(number: number))
        print("KK \(number.uppercased()) dikirim ulang ke WhatsApp pemohon.")
    }
}
