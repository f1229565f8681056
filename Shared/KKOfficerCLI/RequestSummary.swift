import Foundation
import KKDomain
import KKLogging
import KKStore
import Postgres

/// The head of every `show` command: the request and its documents.
public enum RequestSummary {
    public static func lines(_ request: RequestRecord, now: Date = Date()) -> [String] {
        var lines = [
            "Permohonan  \(request.number)",
            "Alasan      \(request.purpose)",
            "Status      \(request.state.indonesianName) (sejak \(WIBTime.format(request.stateEnteredAt)), \(indonesianDuration(now.timeIntervalSince(request.stateEnteredAt))))",
            "Pemohon     \(request.applicantRef) (WhatsApp \(PersonalDataMasker.mask(request.applicantPhone)))",
        ]
        if let by = request.preparedBy { lines.append("Dientri oleh \(by)") }
        if let note = request.lastNote { lines.append("Catatan     \(note)") }
        return lines
    }

    /// The current document of each kind (what justifies the request), and what is still missing.
    public static func documents(_ request: RequestRecord, in tx: PostgresTransaction) async throws -> [String] {
        let documents = try await RequestDocument.current(of: request.id, in: tx)
        var lines = ["Dokumen (\(documents.count)):"]
        lines += documents.enumerated().map { "  \($0.offset + 1). \($0.element.line)" }
        let missing = Requirements.missing(for: request.reason, event: request.changeEvent, received: documents.map(\.kind))
        if !missing.isEmpty { lines.append("  Belum ada: \(missing.map(\.indonesianName).joined(separator: ", "))") }
        return lines
    }
}
