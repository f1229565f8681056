import Foundation
import KKDomain
import KKMessaging
import KKStore
import Postgres

/// The SOP's two return paths, shared by every officer CLI that may take
/// them: "Belum Lengkap" (SOP 2-3) and "Belum Valid" (SOP 6). The request
/// moves back to the applicant and `kk.requests.returned` tells kk-intake,
/// which sends the applicant the reason and the documents to resend.
public enum ReturnToApplicant {
    /// Parses `--missing` values ("surat_pernyataan", or comma-separated).
    public static func documentKinds(_ names: [String]) throws -> [DocumentKind] {
        try names.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.map { name in
            guard let kind = DocumentKind(rawValue: name) else {
                throw CLIFailure("Jenis dokumen '\(name)' tidak dikenal. Pilihan: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return kind
        }
    }

    /// Moves the request back with `kind` and publishes the return, in `tx`.
    public static func send(
        _ request: RequestRecord, kind: RequestReturned.Kind, missing: [DocumentKind], reason: String, by officer: Officer,
        source: String, in tx: PostgresTransaction
    ) async throws {
        let required = request.requiredDocuments
        if let wrong = missing.first(where: { !required.contains($0) }) {
            throw CLIFailure(
                "\(wrong.indonesianName) bukan persyaratan permohonan \(request.purpose). "
                    + "Persyaratannya: \(required.map(\.rawValue).joined(separator: ", ")).")
        }
        let note = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let action: RequestAction = kind == .incomplete ? .returnIncomplete : .rejectInvalid
        try await RequestStore.transition(request.id, action: action, by: officer.actor, note: note, in: tx)
        let returned = RequestReturned(
            requestNumber: request.number, kind: kind, missingDocuments: required.filter(missing.contains), reason: note)
        let envelope = EventEnvelope(payload: returned, requestId: request.id, actor: officer.actor)
        try await Outbox.enqueue([OutgoingMessage(topic: .requestsReturned, envelope: envelope)], source: source, in: tx)
    }

    /// Refuses an empty reason: the applicant must read what to fix.
    public static func checkReason(_ reason: String) throws {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CLIFailure("--reason tidak boleh kosong: tulis apa yang harus diperbaiki pemohon.")
        }
    }
}
