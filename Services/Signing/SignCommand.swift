import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKSigning

/// `kk-sign sign <no>` or `kk-sign sign --all` (SOP 7), run on the Kepala
/// Dinas' own machine: for each request the service prepares the unsigned KK,
/// this process signs it with her key (read here and nowhere else; the
/// passphrase from KK_SIGN_KEY_PASSPHRASE_FILE or asked for), and uploads the
/// signed PDF, which the service checks before issuing. In a batch one that
/// fails is reported and the others are signed.
struct Sign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tandatangani KK secara elektronik (SOP 7) di komputer ini dengan kunci Anda: satu permohonan, atau --all untuk seluruh antrean.",
        discussion: """
            Kunci dan sertifikat Kepala Dinas hanya dibaca di komputer ini: KK_SIGN_CERT (sertifikat PEM, rantai boleh
            menyusul), KK_SIGN_KEY (kunci privat PEM, sebaiknya PKCS#8 terenkripsi), KK_SIGN_CHAIN (opsional). Frasa
            sandi kunci dari KK_SIGN_KEY_PASSPHRASE_FILE, atau ditanyakan (tidak pernah di baris perintah).
            """)
    @Argument(help: "Nomor permohonan (kosongkan bila memakai --all).") var number: String?
    @Flag(help: "Tandatangani semua KK di antrean (yang belum diambil pejabat lain).") var all = false
    @OptionGroup var server: ServerOption

    func validate() throws {
        guard (number == nil) == all else { throw ValidationError("Sebutkan satu nomor permohonan, atau --all (bukan keduanya).") }
    }

    func run() async throws {
        let identity = try Self.identity()
        let failures = try await server.client(.sign).withSession { session -> Int in
            if let number {
                let signed = try await Self.sign(number, with: identity, session: session)
                print(
                    "KK permohonan \(signed.number) ditandatangani (dokumen \(signed.documentID), sha256 \(signed.sha256.prefix(16))…); "
                        + "data keluarga kini versi \(signed.familyVersion).")
                return 0
            }
            let numbers = try await session.call(SigningQueue()).filter { !$0.takenByAnother }.map(\.number)
            if numbers.isEmpty { print("Antrean tanda tangan kosong.") }
            var failed: [(String, String)] = []
            for (index, number) in numbers.enumerated() {
                let progress = "[\(index + 1)/\(numbers.count)]"
                do {
                    let signed = try await Self.sign(number, with: identity, session: session)
                    print("\(progress) \(signed.number) ditandatangani")
                } catch {
                    let reason = "\(error)"
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

    /// Prepare on the service, sign here, upload.
    static func sign(_ number: String, with identity: SigningIdentity, session: OfficerAPISession) async throws -> DocumentSigning.Signed {
        let request = try await session.call(PrepareSignature(number: number))
        if let nip = identity.signerNIP, nip != request.signerNIP {
            throw CLIFailure(
                "Sertifikat tanda tangan di komputer ini milik NIP \(nip) (\(identity.signerName)), bukan \(request.signerName) "
                    + "(NIP \(request.signerNIP)); hanya pemilik sertifikat yang boleh menandatangani.")
        }
        return try await session.call(SignedUpload(number: request.number, documentID: request.documentID, signedPDF: try request.signed(with: identity)))
    }

    /// The Kepala Dinas' certificate and key from this machine; the passphrase
    /// is asked for at a terminal when no file or variable gives it.
    static func identity(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SigningIdentity {
        var environment = environment
        if environment["KK_SIGN_KEY_PASSPHRASE_FILE"] == nil, (environment["KK_SIGN_KEY_PASSPHRASE"] ?? "").isEmpty, isatty(STDIN_FILENO) == 1,
            let keyPath = environment["KK_SIGN_KEY"], let key = FileManager.default.contents(atPath: keyPath),
            String(decoding: key, as: UTF8.self).contains("ENCRYPTED PRIVATE KEY")
        {
            environment["KK_SIGN_KEY_PASSPHRASE"] = try PasswordInput.read(file: nil, prompt: "Frasa sandi kunci tanda tangan: ")
        }
        do {
            return try SigningIdentity.load(environment: environment)
        } catch let error as SigningIdentityError {
            throw CLIFailure(error.description)
        }
    }
}
