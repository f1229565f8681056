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
        abstract: "Beri setiap pemohon yang tercatat id kunci pseudonim yang berlaku (setelah mengisi atau mengganti KK_PSEUDONYM_KEY_FILE).",
        discussion: """
            Membaca KK_DATABASE_URL (peran pemilik) dan KK_PSEUDONYM_KEY_FILE. Hentikan kk-gateway dan kk-intake dulu dan
            jalankan lagi sesudahnya dengan kunci yang sama; log peristiwa dan log audit tetap memakai id saat entrinya
            ditulis. Menjalankannya lagi tidak mengubah apa pun. Tercatat di log audit.
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
