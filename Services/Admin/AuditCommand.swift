import ArgumentParser
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore

/// Recomputes the audit log's hash chain on the server.
struct VerifyAuditChain: OfficerOperation {
    static let name = "audit-verify"
    static let allowed: Set<Role> = [.admin]

    struct Output: Codable, Sendable {
        let rows: Int
        let firstBreak: String?
    }

    func perform(_ call: OfficerCall) async throws -> Output {
        let report = try await AuditChain.verify(pool: call.pool)
        return Output(rows: report.rows, firstBreak: report.firstBreak?.description)
    }
}

/// `kk-admin audit verify`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Log audit: periksa bahwa tidak ada entri yang diubah atau dihapus.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hitung ulang rantai hash log audit; sebutkan entri pertama yang diubah, dihapus atau tidak menyambung (kode keluar 1).")
        @OptionGroup var server: ServerOption

        func run() async throws {
            let report = try await server.client(.admin).call(VerifyAuditChain())
            if let broken = report.firstBreak {
                print("RUSAK: \(broken).")
                print("Periksa cadangan basis data dan log akses PostgreSQL sejak waktu entri itu; laporkan ke atasan.")
                throw ExitCode(1)
            }
            print("Log audit utuh: \(report.rows) entri, rantai hash tidak terputus.")
        }
    }
}
