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
            `serve` menjalankan layanan (memasukkan permohonan dari kk.drafts.verified ke antrean Kepala Dinas) beserta API petugas.

            Layanan ini tidak menyimpan kunci privat dan memerlukan KK_SIGN_CA (sertifikat akar PEM, ujung rantai setiap tanda tangan), \
            KK_DATABASE_URL, KK_KAFKA_BROKERS, KK_SIGN_CERTIFICATE_ISSUER (CA yang disebut dalam pernyataan tanda tangan \
            elektronik pada KK; bawaan BSrE, atau nama CA pengembangan bila KK_SIGN_CA berisi CA pengembangan), KK_PUBLIC_VERIFY_URL (halaman \
            verifikasi publik yang dibuka kode QR pada KK, disediakan oleh kk-archive; bawaan http://127.0.0.1:9306/verifikasi), \
            KK_HTTP_PORT (kesehatan dan metrik, bawaan 9104) dan KK_API_PORT (API petugas, bawaan 9204).

            `queue`, `show`, `preview`, `sign` dan `revoke` untuk Kepala Dinas dan hanya terhubung ke API petugas: masuk \
            dengan `kk-sign login <nama>` (atau KK_OFFICER dan KK_OFFICER_PASSWORD_FILE); alamat layanan diambil dari \
            --server, KK_SIGN_URL atau KK_API_URL. `sign` menandatangani di komputer Kepala Dinas sendiri dengan KK_SIGN_CERT, KK_SIGN_KEY \
            (sebaiknya PKCS#8 terenkripsi) dan frasa sandi dari KK_SIGN_KEY_PASSPHRASE_FILE atau diketik saat diminta (tidak pernah \
            di baris perintah). `verify` tidak perlu masuk. Kunci pengembangan: `kk-dev keygen --out DIR`.
            """,
        subcommands: [
            Serve.self, LoginCommand<KKSign>.self, LogoutCommand<KKSign>.self, WhoAmICommand<KKSign>.self,
            Queue.self, RequestShowCommand<SigningShow>.self, RequestFileCommand<SigningPreview>.self, Sign.self, Verify.self, Revoke.self,
        ])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jalankan layanan tanda tangan elektronik dan API petugasnya (untuk operator).")

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
