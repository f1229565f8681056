import ArgumentParser
import KKRuntime

@main
struct KKSign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kk-sign",
        abstract: "Tanda tangan elektronik (SOP 7): antrean Kepala Dinas, pratinjau KK, tanda tangan PDF, dan pemeriksaan keaslian.",
        discussion: """
            `serve` runs the daemon (consumes kk.drafts.verified into the Kepala Dinas' queue). `queue`, `show`,
            `preview` and `sign` are for the Kepala Dinas (sign in with `kk-admin login`). `verify` needs no sign-in.
            Keys: KK_SIGN_CERT (PEM certificate, chain may follow), KK_SIGN_KEY (PEM private key, encrypted PKCS#8
            recommended), KK_SIGN_KEY_PASSPHRASE_FILE or KK_SIGN_KEY_PASSPHRASE (never on the command line),
            KK_SIGN_CA (PEM roots `verify` trusts). Development keys: `kk-sign keygen --dev --out DIR`.
            Configuration: KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_HTTP_PORT (daemon health and metrics, default 9104).
            """,
        subcommands: [Serve.self, Queue.self, Show.self, Preview.self, Sign.self, Verify.self, Keygen.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the signing daemon.")

        func run() async throws {
            try await ServiceRunner.run(
                ServiceDefinition(
                    name: SigningHandler.name, defaultHTTPPort: 9104, consumes: [.draftsVerified], officerQueue: .signing,
                    makeHandler: { context in SigningHandler(logger: context.logger) }))
        }
    }
}
