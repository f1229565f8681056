import ArgumentParser
import KKRuntime

/// `kk-admin audit verify`: recomputes the audit log's hash chain.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit log: check that no entry was changed or removed.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the audit log's hash chain; name the first entry changed, removed or out of turn (exit 1).")

        func run() async throws {
            let report = try await withPool { try await AuditChain.verify(pool: $0) }
            if let broken = report.firstBreak {
                print("RUSAK: \(broken).")
                print("Periksa cadangan basis data dan log akses PostgreSQL sejak waktu entri itu; laporkan ke atasan.")
                throw ExitCode(1)
            }
            print("Log audit utuh: \(report.rows) entri, rantai hash tidak terputus.")
        }
    }
}
