import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// One WhatsApp message between the office and an applicant, as the officer reads it.
struct ChatMessage: Codable, Sendable, Equatable {
    let at: Date
    let fromApplicant: Bool
    /// `text`, `image`, `document`, or what the gateway made of the message (`unsupported`, `media_too_large`, ...).
    let kind: String
    /// The text or caption; nil for a message without either.
    let body: String?
    /// The officer who wrote an office message; nil for the services' own.
    let author: String?
    /// For office messages: the send ledger's state (`sending`, `sent`, `in_doubt`, `failed`).
    let state: String?

    var line: String {
        let who = fromApplicant ? "Pemohon" : author.map { "Petugas \($0)" } ?? "Sistem"
        let what = kind == "text" ? "" : "[\(kind)] "
        let failed = state == "failed" ? " (GAGAL TERKIRIM)" : state == "sending" || state == "in_doubt" ? " (belum pasti terkirim)" : ""
        // A text without its body: sent before the privacy agreement, or past the retention schedule.
        let text = body ?? (kind == "text" ? "(isi tidak disimpan: sebelum persetujuan privasi atau melewati masa simpan)" : "")
        return "\(WIBTime.format(at))  \(who)\(failed): \(what)\(text)"
    }
}

/// SOP 2: the service officer opens the request "in WA": the applicant's whole
/// WhatsApp conversation with the office, oldest first (the last `limit`
/// messages). A read of personal data: audited.
struct IntakeChat: RequestOperation {
    static let name = "chat"
    static let allowed: Set<Role> = [.serviceOfficer]
    let number: String
    let limit: Int

    func perform(_ call: OfficerCall) async throws -> [ChatMessage] {
        guard (1...1000).contains(limit) else { throw CLIFailure("--jumlah harus antara 1 dan 1000 (diberikan: \(limit)).") }
        return try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            let rows = try await tx.query(
                """
                SELECT at, from_applicant, kind, body, author, state FROM applicant_conversation
                WHERE applicant_ref = \(request.applicantRef) ORDER BY at DESC LIMIT \(limit)
                """
            ).rows
            return try rows.reversed().map { row in
                ChatMessage(
                    at: try row.decode("at", as: Date.self), fromApplicant: try row.decode("from_applicant", as: Bool.self),
                    kind: try row.decode("kind", as: String.self), body: try row.decode("body", as: String?.self),
                    author: try row.decode("author", as: String?.self), state: try row.decode("state", as: String?.self))
            }
        }
    }
}

/// `kk-intake chat <no>`: the conversation, as WhatsApp shows it.
struct Chat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Tampilkan percakapan WhatsApp pemohon suatu permohonan (pesan terlama di atas).")
    @Argument(help: "Nomor permohonan, misalnya KK-20261125-000001.") var number: String
    @Option(name: .customLong("jumlah"), help: "Jumlah pesan terakhir yang ditampilkan (1-1000).") var limit = 50
    @OptionGroup var server: ServerOption

    func run() async throws {
        let messages = try await server.client(.intake).call(IntakeChat(number: number, limit: limit))
        print("Percakapan WhatsApp permohonan \(number.uppercased()) (\(messages.count) pesan terakhir):")
        if messages.isEmpty { print("  (belum ada pesan)") }
        for message in messages { print("  " + message.line.replacingOccurrences(of: "\n", with: "\n      ")) }
    }
}
