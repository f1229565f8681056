import ArgumentParser
import Foundation
import KKConfiguration
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKService

@main
struct KKArchive: AsyncParsableCommand, OfficerCLI {
    static let service = OfficerService.archive
    static let officerRoles: Set<Role> = [.printOfficer]
    static let configuration = CommandConfiguration(
        commandName: "kk-archive",
        abstract: "Arsip (SOP 10): cadangan berlapis KK PDF, dokumen pemohon dan riwayat permohonan; periksa, pulihkan, status.",
        discussion: """
            `serve` runs the daemon (consumes kk.documents.delivered). KK_ARCHIVE_TARGETS names the backup targets,
            e.g. server=/srv/arsip,hdd=/mnt/hdd/arsip,flash=/media/flash/arsip (folders on different mounts);
            KK_ARCHIVE_COPIES (default: every target) is how many verified copies make a request archived;
            KK_ARCHIVE_RETRY_SECONDS (default 60) how soon a missing target is tried again; KK_ARCHIVE_MODE (automatic, the
            default: a delivered KK is archived at once; print-officer: it waits in the print officer's archive queue for
            `kk-archive confirm`, as the SOP writes step 10). KK_HTTP_PORT: health
            and metrics, default 9106; KK_API_PORT: officer API, default 9206; KK_PUBLIC_VERIFY_PORT: the public verification
            page a KK's QR code opens (GET /verifikasi/<dokumen>?h=<sha256>), default 9306, with KK_PUBLIC_VERIFY_PER_MINUTE
            lookups a minute per client (default 30; the client is the X-Real-IP the ingress sets) and
            KK_PUBLIC_VERIFY_TOTAL_PER_MINUTE for everyone together (default 1200). The other commands are for the
            Petugas Cetak and talk to the officer API only (the targets and the database stay with the service):
            sign in with `kk-archive login <nama>` (or set KK_OFFICER and KK_OFFICER_PASSWORD_FILE); the service's
            address comes from --server, KK_ARCHIVE_URL or KK_API_URL.
            """,
        subcommands: [
            Serve.self, LoginCommand<KKArchive>.self, LogoutCommand<KKArchive>.self, WhoAmICommand<KKArchive>.self,
            Queue.self, Confirm.self, Verify.self, Restore.self, Status.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the archive daemon and its officer API.")

        func run() async throws {
            let reader = EnvironmentReader()
            let poll = try reader.integer("KK_ARCHIVE_POLL_MS", default: 5000, range: 10...3_600_000)
            let verifyPort = try reader.integer("KK_PUBLIC_VERIFY_PORT", default: 9306, range: 0...65535)
            let perClient = try reader.integer("KK_PUBLIC_VERIFY_PER_MINUTE", default: 30, range: 1...100_000)
            let overall = try reader.integer("KK_PUBLIC_VERIFY_TOTAL_PER_MINUTE", default: 1200, range: 1...10_000_000)
            let settings = try ArchiveSettings.from()
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: RequestArchiver.name, defaultHTTPPort: 9106, consumes: [.documentsDelivered],
                    officerAPI: OfficerAPI(
                        service: .archive, operations: [ArchiveQueue.self, ConfirmArchive.self, VerifyArchive.self, RestoreArchive.self, ArchiveStatus.self]),
                    makeHandler: { context in ArchiveHandler(archiver: RequestArchiver(settings: settings, logger: context.logger)) },
                    extraServices: { context in
                        [
                            ArchiveRetrier(
                                pool: context.pool, archiver: RequestArchiver(settings: settings, logger: context.logger),
                                interval: .milliseconds(poll)),
                            PublicVerificationPage(pool: context.pool, logger: context.logger, perClientPerMinute: perClient, overallPerMinute: overall)
                                .application(host: context.environment.apiHost, port: verifyPort),
                        ]
                    }))
        }
    }
}
