import ArgumentParser
import KKRuntime

@main
struct KKVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kk-verify",
        abstract: "Verifikasi (SOP 5-6): antrean Kasi/Kabid, draft KK dibanding data register, setujui atau tolak (Belum Valid).",
        discussion: """
            `serve` runs the daemon (consumes kk.drafts.submitted into the Kasi/Kabid's queue). The other commands
            are for the Kasi/Kabid; sign in first with `kk-admin login` (or set KK_OFFICER and
            KK_OFFICER_PASSWORD_FILE). The officer who entered the data may never verify it (four eyes).
            Configuration: KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_HTTP_PORT (daemon health and metrics, default 9103).
            """,
        subcommands: [Serve.self, Queue.self, Show.self, Media.self, Take.self, Approve.self, Reject.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the verification daemon.")

        func run() async throws {
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: VerificationHandler.name, defaultHTTPPort: 9103, consumes: [.draftsSubmitted], officerQueue: .verification,
                    makeHandler: { context in VerificationHandler(logger: context.logger) }))
        }
    }

    struct Media: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Simpan dokumen pendukung permohonan sebagai berkas di folder DIR.")
        @Argument(help: "Nomor permohonan.") var number: String
        @Option(name: .customLong("out"), help: "Folder tujuan (dibuat bila belum ada).") var directory: String

        func run() async throws {
            try await MediaExport.run(service: VerificationHandler.name, allowed: [.verifier], number: number, directory: directory)
        }
    }

    struct Take: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ambil permohonan dari antrean verifikasi (Kasi/Kabid lain tidak dapat memprosesnya).")
        @Argument(help: "Nomor permohonan.") var number: String

        func run() async throws {
            try await OfficerCommandRunner.run(
                service: VerificationHandler.name, command: "take", allowed: [.verifier], requestNumber: number
            ) { officer, pool in
                try await pool.withTransaction { tx in
                    let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
                    try await OfficerQueue.verification.take(request, by: officer, in: tx)
                }
            }
            print("Permohonan \(number.uppercased()) diambil untuk diverifikasi. Lihat dengan `kk-verify show \(number.uppercased())`.")
        }
    }
}
