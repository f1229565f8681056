import ArgumentParser
import Foundation
import KKConfiguration
import KKDomain
import KKOfficerCLI
import KKSigning

/// `kk-dev keygen --out DIR`: a development CA and the Kepala Dinas'
/// signer certificate, the key encrypted with a passphrase read from a file
/// or KK_SIGN_KEY_PASSPHRASE (never from the command line).
struct Keygen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Buat CA dan sertifikat penanda tangan untuk pengembangan (bukan untuk produksi).",
        discussion: """
            Writes DIR/ca.pem, DIR/signer.pem and DIR/signer-key.pem (encrypted PKCS#8). Then set
            KK_SIGN_CERT=DIR/signer.pem KK_SIGN_KEY=DIR/signer-key.pem KK_SIGN_CA=DIR/ca.pem and the passphrase
            in KK_SIGN_KEY_PASSPHRASE_FILE. In production the certificate comes from the national CA (BSrE).
            """)
    @Option(help: "Folder for the PEM files (created if missing).") var out: String
    @Option(help: "The Kepala Dinas' name as on the KK.") var name: String
    @Option(help: "The Kepala Dinas' NIP (18 digits).") var nip: String
    @Option(help: "File holding the passphrase for the key (default: KK_SIGN_KEY_PASSPHRASE).") var passphraseFile: String?

    func validate() throws {
        guard nip.wholeMatch(of: /[0-9]{18}/) != nil else { throw ValidationError("--nip must be the 18-digit NIP.") }
    }

    func run() async throws {
        let passphrase: String
        if let passphraseFile {
            guard let data = FileManager.default.contents(atPath: passphraseFile) else { throw CLIFailure("Cannot read '\(passphraseFile)'.") }
            passphrase = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        } else if let value = ProcessInfo.processInfo.environment["KK_SIGN_KEY_PASSPHRASE"], !value.isEmpty {
            passphrase = value
        } else {
            throw CLIFailure("Give the key's passphrase with --passphrase-file FILE or KK_SIGN_KEY_PASSPHRASE.")
        }
        let office = try OfficeIdentity.configure()
        let files = try DevelopmentKeys.generate(name: name, nip: nip, passphrase: passphrase, regencyTitle: office.regencyTitle)
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (file, text, mode) in [
            ("ca.pem", files.caCertificate, 0o644), ("signer.pem", files.signerCertificate, 0o644), ("signer-key.pem", files.signerKey, 0o600),
        ] {
            let url = folder.appendingPathComponent(file)
            try Data(text.utf8).write(to: url, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
            print(url.path)
        }
    }
}
