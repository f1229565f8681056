import ArgumentParser
import Foundation
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// What `kk-intake reply` did.
struct ReplySent: Codable, Sendable, Equatable {
    let messageID: UUID
    /// Whether WhatsApp's 24-hour window is open: otherwise the gateway sends the approved template.
    let insideWindow: Bool
}

/// SOP 2: the service officer writes to the applicant about a request. The
/// message goes out through the gateway like every other (the approved
/// template outside WhatsApp's 24-hour window), is signed as the office's, and
/// is audited with its message id; the ledger keeps its text and the officer.
struct ReplyToApplicant: RequestOperation {
    static let name = "reply"
    static let allowed: Set<Role> = [.serviceOfficer]
    /// WhatsApp's limit for a text message, less the heading.
    static let maximumLength = 3800
    let number: String
    let text: String

    static func message(_ text: String, number: String) -> String {
        "Pesan dari petugas layanan Disdukcapil tentang permohonan \(number):\n\n\(text)"
    }

    func perform(_ call: OfficerCall) async throws -> ReplySent {
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw CLIFailure("Pesan kosong: tulis apa yang perlu disampaikan kepada pemohon.") }
        guard body.count <= Self.maximumLength else {
            throw CLIFailure("Pesan terlalu panjang (\(body.count) karakter; paling banyak \(Self.maximumLength)). Bagi menjadi beberapa pesan.")
        }
        let id = UUID()
        return try await call.transaction(detail: "pesan \(id.uuidString.lowercased())") { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            let outbound = WhatsAppOutbound.text(Self.message(body, number: request.number), to: request.applicantRef, about: request.id)
            let message = EventEnvelope(payload: outbound, requestId: request.id, actor: call.officer.actor, id: id)
            try await Outbox.enqueue(
                [OutgoingMessage(topic: .waOutbound, envelope: message, key: request.applicantRef)], source: IntakeHandler.name, in: tx)
            let lastInbound = try await WhatsAppContacts.find(request.applicantRef, on: tx)?.lastInboundAt
            return ReplySent(messageID: id, insideWindow: WhatsAppOutbound.isInsideCustomerServiceWindow(lastInbound: lastInbound))
        }
    }
}

/// `kk-intake reply <no> "<pesan>"`.
struct Reply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Kirim pesan WhatsApp kepada pemohon suatu permohonan (tercatat di log audit).",
        discussion: "Di luar jendela 24 jam WhatsApp (24 jam sejak pesan terakhir pemohon), pesan dikirim melalui templat yang disetujui.")
    @Argument(help: "Nomor permohonan.") var number: String
    @Argument(help: "Isi pesan (dalam tanda kutip).") var text: String
    @OptionGroup var server: ServerOption

    func run() async throws {
        let sent = try await server.client(.intake).call(ReplyToApplicant(number: number, text: text))
        print("Pesan untuk pemohon \(number.uppercased()) dikirim ke antrean WhatsApp (id \(sent.messageID.uuidString.lowercased())).")
        if !sent.insideWindow {
            print("Pemohon belum menulis dalam 24 jam terakhir: pesan dikirim melalui templat WhatsApp yang disetujui.")
        }
    }
}
