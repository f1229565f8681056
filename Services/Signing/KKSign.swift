import ArgumentParser
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKOfficers
import KKService
import KKSigning
import KKStore

@main
struct KKSign: AsyncParsableCommand, OfficerCLI {
    static let service = OfficerService.sign
    static let officerRoles: Set<Role> = [.headOfDepartment]
    static let configuration = CommandConfiguration(
        commandName: "kk-sign",
        abstract: "Tanda tangan elektronik (SOP 7): antrean Kepala Dinas, pratinjau KK, tanda tangan PDF, dan pemeriksaan keaslian.",
        discussion: """
            `serve` runs the daemon (consumes kk.drafts.verified into the Kepala Dinas' queue) and the officer API.
            The service holds no private key: it needs KK_SIGN_CA (PEM roots a signature must chain to),
            KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_SIGN_CERTIFICATE_ISSUER (the CA the KK's electronic-signature
            statement names; default BSrE, or the development CA's name when KK_SIGN_CA is one), KK_PUBLIC_VERIFY_URL (the public
            verification page the KK's QR code opens, served by kk-archive; default http://127.0.0.1:9306/verifikasi),
            KK_HTTP_PORT (health and metrics, default 9104) and KK_API_PORT (officer API, default 9204).
            `queue`, `show`, `preview`, `sign` and `revoke` are for the Kepala Dinas and talk to the officer API only: sign in
            with `kk-sign login <nama>` (or KK_OFFICER and KK_OFFICER_PASSWORD_FILE); the address comes from
            --server, KK_SIGN_URL or KK_API_URL. `sign` signs on her machine with KK_SIGN_CERT, KK_SIGN_KEY (encrypted
            PKCS#8 recommended) and the passphrase from KK_SIGN_KEY_PASSPHRASE_FILE or a prompt (never on the command
            line). `verify` needs no sign-in. Development keys: `kk-dev keygen --out DIR`.
            """,
        subcommands: [
            Serve.self, LoginCommand<KKSign>.self, LogoutCommand<KKSign>.self, WhoAmICommand<KKSign>.self,
            Queue.self, RequestShowCommand<SigningShow>.self, Preview.self, Sign.self, Verify.self, Revoke.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the signing daemon and its officer API.")

        func run() async throws {
            _ = try VerificationReference.baseURL()  // a bad KK_PUBLIC_VERIFY_URL stops the service now, not at the first signature
            let roots = try DocumentSigning.trustRoots()  // refuse to start without the CA every signature is checked against
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: SigningHandler.name, defaultHTTPPort: 9104, consumes: [.draftsVerified], officerQueue: .signing,
                    officerAPI: OfficerAPI(
                        service: .sign,
                        operations: [
                            SigningQueue.self, SigningShow.self, SigningPreview.self, PrepareSignature.self, SignedUpload.self, RevokeDocument.self,
                        ],
                        publicOperations: [IssuedRecordLookup.self]),
                    makeHandler: { context in SigningHandler.make(logger: context.logger) },
                    extraServices: { context in
                        // Development keys sign nothing for a production office.
                        if try await Installation.environment(pool: context.pool) == .production, roots.contains(where: DevelopmentKeys.isDevelopmentCA) {
                            throw CLIFailure(
                                "KK_SIGN_CA adalah CA pengembangan (kk-dev keygen) dan basis data ini ditandai produksi: "
                                    + "atur KK_SIGN_CA ke sertifikat CA BSrE, lalu jalankan kk-sign lagi.")
                        }
                        return []
                    }))
        }
    }
}
