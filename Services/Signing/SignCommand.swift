import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-sign sign <no>` or `kk-sign sign --all` (SOP 7): electronic signature
/// by the Kepala Dinas. In a batch each request is signed in its own
/// transaction: one that fails is reported and the others are signed.
struct Sign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tandatangani KK secara elektronik (SOP 7): satu permohonan, atau --all untuk seluruh antrean.")
    @Argument(help: "Nomor permohonan (kosongkan bila memakai --all).") var number: String?
    @Flag(help: "Tandatangani semua KK di antrean (yang belum diambil pejabat lain).") var all = false

    func validate() throws {
        guard (number == nil) == all else { throw ValidationError("Sebutkan satu nomor permohonan, atau --all (bukan keduanya).") }
    }

    func run() async throws {
        let failures = try await OfficerCommandRunner.run(
            service: SigningHandler.name, command: all ? "sign --all" : "sign", allowed: [.headOfDepartment], requestNumber: number
        ) { officer, pool -> Int in
            let signing = DocumentSigning(identity: try DocumentSigning.identity(for: officer), officer: officer)
            if let number {
                let signed = try await pool.withTransaction { try await signing.sign(number, in: $0) }
                print("KK permohonan \(signed.number) ditandatangani (dokumen \(signed.documentID), sha256 \(signed.sha256.prefix(16))…); data keluarga kini versi \(signed.familyVersion).")
                return 0
            }
            let numbers = try await pool.withTransaction { tx in
                try await OfficerQueue.signing.list(in: tx).filter { $0.entry.takenBy == nil || $0.entry.takenBy == officer.username }.map(\.request.number)
            }
            if numbers.isEmpty { print("Antrean tanda tangan kosong.") }
            var failed: [(String, String)] = []
            for (index, number) in numbers.enumerated() {
                let progress = "[\(index + 1)/\(numbers.count)]"
                do {
                    let signed = try await pool.withTransaction { try await signing.sign(number, in: $0) }
                    print("\(progress) \(signed.number) ditandatangani")
                } catch {
                    let reason = (error as? any OfficerFacingError)?.description ?? "\(error)"
                    failed.append((number, reason))
                    print("\(progress) \(number) GAGAL: \(reason)")
                }
            }
            if !numbers.isEmpty {
                print("Selesai: \(numbers.count - failed.count) ditandatangani, \(failed.count) gagal.")
                for (number, reason) in failed { print("  \(number): \(reason)") }
            }
            return failed.count
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
