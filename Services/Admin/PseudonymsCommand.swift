import ArgumentParser
import Crypto
import Foundation
import KKConfiguration
import KKStore
import Postgres

/// `kk-admin rekey-applicants`: the operator's step after setting or replacing
/// the pseudonym key (see `ApplicantRekeying`).
struct RekeyApplicants: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey-applicants",
        abstract: "Give every applicant on record the id of the current pseudonym key (after setting or replacing KK_PSEUDONYM_KEY_FILE).",
        discussion: """
            Reads KK_DATABASE_URL (the owner role) and KK_PSEUDONYM_KEY_FILE. Stop kk-gateway and kk-intake first and
            start them again afterwards with the same key; the event log and the audit keep the ids they were
            written with. A second run changes nothing. Audited.
            """)

    func run() async throws {
        let key = try ApplicantPseudonym.configure().withUnsafeBytes { Array($0) }  // SymmetricKey is not Sendable
        let operatorName = "operator:\(ProcessInfo.processInfo.environment["USER"] ?? "root")"
        let moved = try await withPool { pool in
            try await pool.withTransaction { tx in
                let moved = try await ApplicantRekeying.rekey(to: SymmetricKey(data: key), in: tx)
                try await AuditLog.record(
                    username: operatorName, role: "operator", service: "kk-admin", command: "rekey-applicants", requestID: nil, outcome: .ok,
                    detail: "\(moved) pemohon", in: tx)
                return moved
            }
        }
        print(
            moved == 0 ? "Semua pemohon sudah memakai kunci pseudonim ini; tidak ada yang diubah." : "\(moved) pemohon dipindahkan ke id kunci pseudonim ini.")
    }
}
