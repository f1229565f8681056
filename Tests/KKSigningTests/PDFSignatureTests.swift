import Foundation
import KKSigning
import SwiftASN1
import Testing
import X509

@Suite("PDF signatures: detached CMS in an incremental update, checked by pdfsig and by our verifier")
struct PDFSignatureTests {
    static let passphrase = "frasa-sandi-kepala-dinas"
    static let keys = try! DevelopmentKeys.generate(name: "Dr. Hj. Sri Wahyuni, M.Si.", nip: "197005121995032004", passphrase: passphrase)

    static func identity(now: Date = Date()) throws -> SigningIdentity {
        try SigningIdentity(certificatePEM: keys.signerCertificate, keyPEM: keys.signerKey, passphrase: passphrase, chainPEM: keys.caCertificate, now: now)
    }

    static func signed(_ pdf: [UInt8] = MinimalPDF.make()) throws -> [UInt8] {
        let identity = try identity()
        let time = Date()
        return try PDFSigner.sign(
            pdf, info: PDFSignatureInfo(name: identity.signerName, reason: "Penerbitan Kartu Keluarga", location: "Bantul", signingTime: time)
        ) { try identity.cmsSignature($0, at: time) }
    }

    @Test("pdfsig reports the signature valid and the whole document signed; our verifier names the signer and NIP")
    func validSignature() async throws {
        let pdf = try Self.signed()
        let file = try temporaryFile("kk.pdf", pdf)
        let report = try run("/usr/bin/pdfsig", [file.path])
        #expect(report.output.contains("Signature Validation: Signature is Valid."), "\(report.output)")
        #expect(report.output.contains("Total document signed"), "\(report.output)")
        #expect(report.output.contains("adbe.pkcs7.detached"), "\(report.output)")
        #expect(report.output.contains("Dr. Hj. Sri Wahyuni, M.Si."), "\(report.output)")
        let ours = try await PDFSignatureVerifier.verify(pdf, trustRoots: [try Certificate(pemEncoded: Self.keys.caCertificate)])
        #expect(ours.intact && ours.trusted && ours.coversWholeFile, "\(ours)")
        #expect(ours.signerName == "Dr. Hj. Sri Wahyuni, M.Si." && ours.signerNIP == "197005121995032004")
        #expect(ours.signingTime?.hasPrefix("D:") == true)
        // Without the CA the bytes are still intact, but the signer is not trusted.
        let untrusted = try await PDFSignatureVerifier.verify(pdf, trustRoots: [])
        #expect(untrusted.intact && !untrusted.trusted && untrusted.problem?.contains("tidak terpercaya") == true)
    }

    @Test("one changed byte inside the signed range: pdfsig and our verifier both report it invalid")
    func tamperedByte() async throws {
        var pdf = try Self.signed()
        let text = Array("KARTU KELUARGA".utf8)
        let at = try #require((0..<(pdf.count - text.count)).first { pdf[$0..<($0 + text.count)].elementsEqual(text) })
        pdf[at] = UInt8(ascii: "X")
        let file = try temporaryFile("kk-changed.pdf", pdf)
        let report = try run("/usr/bin/pdfsig", [file.path])
        #expect(!report.output.contains("Signature is Valid."), "\(report.output)")
        #expect(report.output.contains("Signature is Invalid") || report.output.contains("Digest Mismatch"), "\(report.output)")
        let ours = try await PDFSignatureVerifier.verify(pdf, trustRoots: [try Certificate(pemEncoded: Self.keys.caCertificate)])
        #expect(!ours.intact && ours.problem == "isi dokumen berubah setelah ditandatangani", "\(ours)")
        // Bytes appended after signing leave the signature intact but no longer covering the whole file.
        let appended = try Self.signed() + Array("\n% tambahan\n".utf8)
        let partial = try await PDFSignatureVerifier.verify(appended, trustRoots: [try Certificate(pemEncoded: Self.keys.caCertificate)])
        #expect(partial.intact && !partial.coversWholeFile)
    }

    @Test("key and certificate errors stop signing with a clear message")
    func keyAndCertificateErrors() throws {
        #expect(throws: SigningIdentityError.wrongPassphrase) {
            try SigningIdentity(certificatePEM: Self.keys.signerCertificate, keyPEM: Self.keys.signerKey, passphrase: "salah")
        }
        #expect(throws: SigningIdentityError.passphraseMissing) {
            try SigningIdentity(certificatePEM: Self.keys.signerCertificate, keyPEM: Self.keys.signerKey, passphrase: nil)
        }
        let other = try DevelopmentKeys.generate(name: "Orang Lain", nip: "198001012005011001", passphrase: Self.passphrase)
        do {
            _ = try SigningIdentity(certificatePEM: Self.keys.signerCertificate, keyPEM: other.signerKey, passphrase: Self.passphrase)
            Issue.record("a key of another certificate was accepted")
        } catch let error as SigningIdentityError {
            guard case .keyDoesNotMatch = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.description.contains("tidak cocok"))
        }
        do {
            _ = try Self.identity(now: Date().addingTimeInterval(400 * 86_400))
            Issue.record("an expired certificate was accepted")
        } catch let error as SigningIdentityError {
            guard case .expired = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.description.contains("kedaluwarsa"))
        }
        #expect(throws: SigningIdentityError.notPEM(what: "Sertifikat")) {
            try SigningIdentity(certificatePEM: "bukan sertifikat", keyPEM: Self.keys.signerKey, passphrase: Self.passphrase)
        }
    }

    @Test("a key encrypted by openssl (PKCS#8 PBES2, AES-256-CBC) opens with its passphrase")
    func opensslEncryptedKey() throws {
        let clear = try temporaryFile("key.pem", [])
        let encrypted = try temporaryFile("key-enc.pem", [])
        #expect(try run("/usr/bin/openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", clear.path]).status == 0)
        let pkcs8 = try run(
            "/usr/bin/openssl", ["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", clear.path, "-out", encrypted.path, "-passout", "pass:rahasia-bsre"])
        #expect(pkcs8.status == 0, "\(pkcs8.output)")
        let pem = try String(contentsOf: encrypted, encoding: .utf8)
        #expect(pem.contains("ENCRYPTED PRIVATE KEY"))
        let document = try PEMDocument(pemString: pem)
        let der = try EncryptedPrivateKey.decrypt(document.derBytes, passphrase: "rahasia-bsre")
        let key = try Certificate.PrivateKey(pemDocument: PEMDocument(type: "PRIVATE KEY", derBytes: der))
        let clearKey = try Certificate.PrivateKey(pemEncoded: try String(contentsOf: clear, encoding: .utf8))
        #expect(key.publicKey == clearKey.publicKey)
        #expect(throws: SigningIdentityError.wrongPassphrase) { try EncryptedPrivateKey.decrypt(document.derBytes, passphrase: "salah") }
    }

    @Test("a PDF with an xref stream or one that is not a PDF is refused, not half-signed")
    func unsupportedInput() throws {
        #expect(throws: PDFSigningError.notAPDF) {
            try PDFSigner.sign(Array("hello".utf8), info: .init(name: "", reason: "", location: "", signingTime: Date())) { $0 }
        }
    }
}
