import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKOfficers
import KKStore
import Postgres

/// The Kasi/Kabid's supervision of taken requests: release one back to its
/// queue, or give it to another officer of the role that works that queue.
/// The reason is required, goes into the audit entry, and the officers
/// concerned are told on their next command.
enum RequestAssignment {
    static func checkReason(_ reason: String) throws {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CLIFailure("--reason tidak boleh kosong: tulis mengapa permohonan dipindahkan (tercatat di log audit dan dikirim ke petugas).")
        }
    }

    /// Moves the request `number` to `target` (nil: back to the queue); returns what to tell the Kasi/Kabid.
    static func move(_ number: String, to target: String?, reason: String, call: OfficerCall) async throws -> String {
        try checkReason(reason)
        let note = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let detail = target.map { "dialihkan kepada \($0): \(note)" } ?? "dilepas: \(note)"
        return try await call.transaction(detail: detail) { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            guard let (queue, entry) = try await OfficerQueue.holding(request.id, in: tx) else {
                throw CLIFailure("Permohonan \(request.number) tidak sedang menunggu di antrean petugas mana pun (status: \(request.state.indonesianName)).")
            }
            guard let holder = entry.takenBy else {
                throw CLIFailure(
                    "Permohonan \(request.number) belum diambil siapa pun di \(queue.indonesianName); tidak ada yang perlu dilepas atau dialihkan.")
            }
            let by = "\(call.officer.fullName) (\(call.officer.role.indonesianName))"
            if let target {
                try await checkTarget(target, holder: holder, queue: queue, request: request, in: tx)
                try await queue.assign(request.id, to: target, in: tx)
                try await OfficerNotices.post(
                    to: holder, "Permohonan \(request.number) di \(queue.indonesianName) dialihkan dari Anda kepada \(target) oleh \(by). Alasan: \(note)",
                    in: tx)
                try await OfficerNotices.post(
                    to: target, "Permohonan \(request.number) di \(queue.indonesianName) dialihkan kepada Anda oleh \(by). Alasan: \(note)", in: tx)
                return "Permohonan \(request.number) dialihkan dari \(holder) kepada \(target) (\(queue.indonesianName)); keduanya akan diberi tahu."
            }
            try await queue.assign(request.id, to: nil, in: tx)
            try await OfficerNotices.post(
                to: holder, "Permohonan \(request.number) yang Anda ambil di \(queue.indonesianName) dilepas oleh \(by). Alasan: \(note)", in: tx)
            return "Permohonan \(request.number) dilepas dari \(holder) dan kembali ke \(queue.indonesianName); \(holder) akan diberi tahu."
        }
    }

    /// The new officer must exist, be active, work this queue, and (for verification) not have prepared the request.
    static func checkTarget(_ target: String, holder: String, queue: OfficerQueue, request: RequestRecord, in tx: PostgresTransaction) async throws {
        guard target != holder else { throw CLIFailure("Permohonan \(request.number) sudah diambil \(target).") }
        let rows = try await tx.query("SELECT role, active FROM officers WHERE username = \(target)").rows
        guard let row = rows.first else { throw CLIFailure("Petugas '\(target)' tidak terdaftar; lihat daftar petugas pada operator.") }
        guard try row.decode("active", as: Bool.self) else { throw CLIFailure("Petugas '\(target)' sedang nonaktif.") }
        guard Role(rawValue: try row.decode("role", as: String.self)) == queue.workerRole else {
            throw CLIFailure(
                "\(queue.indonesianName.prefix(1).uppercased() + queue.indonesianName.dropFirst()) dikerjakan oleh \(queue.workerRole.indonesianName); '\(target)' bukan \(queue.workerRole.indonesianName)."
            )
        }
        if queue == .verification {
            let editors = try await tx.query(
                """
                SELECT 1 AS x FROM request_events WHERE request_id = \(request.id) AND actor_id = \(target)
                    AND action IN (\(RequestAction.enter.rawValue), \(RequestAction.submitPrintRequest.rawValue))
                """
            ).rows
            guard editors.isEmpty else {
                throw CLIFailure(
                    "'\(target)' pernah mengentri atau mengajukan permohonan \(request.number); verifikasinya harus oleh Kasi/Kabid lain (prinsip empat mata).")
            }
        }
    }
}
