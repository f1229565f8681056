import ArgumentParser
import KKRuntime

@main
struct KKEntry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kk-entry",
        abstract: "Entri data (SOP 3-4): antrean Petugas Unit Layanan & Entri, perubahan data keluarga, dan permohonan cetak.",
        discussion: """
            `serve` runs the daemon (consumes kk.requests.accepted into the entry queue). The other commands are
            for the Petugas Unit Layanan & Entri; sign in first with `kk-admin login` (or set KK_OFFICER and
            KK_OFFICER_PASSWORD_FILE). Usual order: queue, show, take <no> --kk <nomor KK>, enter ..., submit.
            Configuration: KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_HTTP_PORT (daemon health and metrics, default 9102).
            """,
        subcommands: [Serve.self, Queue.self, Show.self, Media.self, Take.self, Enter.self, Return.self, Submit.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the data-entry daemon.")

        func run() async throws {
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: EntryHandler.name, defaultHTTPPort: 9102, consumes: [.requestsAccepted], officerQueue: .entry,
                    makeHandler: { context in EntryHandler(logger: context.logger) }))
        }
    }

    struct Media: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Simpan foto/dokumen permohonan sebagai berkas di folder DIR.")
        @Argument(help: "Nomor permohonan.") var number: String
        @Option(name: .customLong("out"), help: "Folder tujuan (dibuat bila belum ada).") var directory: String

        func run() async throws {
            try await MediaExport.run(service: EntryHandler.name, allowed: [.serviceOfficer], number: number, directory: directory)
        }
    }
}
