import ArgumentParser
import Crypto
import Foundation
import Hex
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKSigning
import KKStore
import Postgres
import SwiftASN1
import X509

/// Whether a KK with this PDF digest, or this QR reference, was issued: a
/// question anyone holding a KK may ask kk-sign, without sign-in.
struct IssuedRecordLookup: PublicOperation {
    static let name = "periksa"
    let pdfSHA256: String?
    let documentID: UUID?
    let contentSHA256: String?

    struct Answer: Codable, Sendable {
        /// "permohonan KK-..., KK 3402... versi 2, ditandatangani ... oleh ..." for the issued KK, or nil.
        let record: String?
        /// "BERLAKU", "DIGANTI ..." or "DICABUT ...": where that KK stands today.
        var standing: String?
    }

    func perform(pool: PostgresPool) async throws -> Answer {
        let found: IssuedDocumentStanding?
        if let pdfSHA256 {
            found = try await SignedDocuments.standing(pdfSHA256: pdfSHA256, on: pool)
        } else if let documentID, let contentSHA256 {
            found = try await SignedDocuments.standing(documentID: documentID, contentSHA256: contentSHA256, on: pool)
        } else {
            throw CLIFailure("Sebutkan sha256 berkas PDF, atau dokumen dan isi dari kode QR.")
        }
        guard let found else { return Answer(record: nil) }
        let standing: String
        switch found.state {
        case .valid: standing = "BERLAKU"
        case .replaced(let on): standing = "DIGANTI oleh KK yang lebih baru, ditandatangani \(WIBTime.format(on))"
        case .revoked(let on, let reason): standing = "DICABUT \(WIBTime.format(on)): \(reason)"
        }
        return Answer(
            record: "permohonan \(found.requestNumber), KK \(found.kkNumber) versi \(found.familyVersion), "
                + "ditandatangani \(WIBTime.format(found.signedAt)) oleh \(found.signedBy)",
            standing: standing)
    }
}

/// `kk-sign verify <pdf>`: who signed, when, whether the bytes are intact,
/// and whether this is the document on record. Needs no sign-in; reads
/// KK_SIGN_CA for the trusted roots and asks kk-sign (--server, KK_SIGN_URL or
/// KK_API_URL) for the record.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Periksa keaslian KK PDF: penanda tangan, waktu, keutuhan isi, dan kecocokan dengan arsip dinas.")
    @Argument(help: "Berkas PDF KK.") var file: String?
    @Option(help: "Isi kode QR pada KK (alamat halaman verifikasi, atau KKBANTUL:1:... pada KK lama), untuk memeriksa tanpa berkas PDF.") var reference: String?
    @OptionGroup var server: ServerOption

    func validate() throws {
        guard file != nil || reference != nil else { throw ValidationError("Sebutkan berkas PDF atau --reference dari kode QR.") }
    }

    func run() async throws {
        var ok = true
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIFailure("Berkas '\(file)' tidak dapat dibaca.") }
            let pdf = Array(data)
            let roots = try DocumentSigning.trustRoots(required: false)
            let report: PDFSignatureReport
            do {
                report = try await PDFSignatureVerifier.verify(pdf, trustRoots: roots)
            } catch let error as PDFSigningError {
                throw CLIFailure("Tanda tangan tidak dapat dibaca: \(error.description)")
            }
            print("Penanda tangan   \(report.signerName ?? "-")\(report.signerNIP.map { " (NIP \($0))" } ?? "")")
            print("Waktu tanda tangan \(report.signingTime ?? "-")")
            print("Isi dokumen      \(report.intact ? "UTUH (sesuai tanda tangan)" : "TIDAK UTUH: \(report.problem ?? "tanda tangan tidak cocok")")")
            print("Cakupan          \(report.coversWholeFile ? "seluruh dokumen" : "TIDAK seluruh dokumen (ada tambahan setelah ditandatangani)")")
            print(
                "Sertifikat       \(report.trusted ? "terpercaya" : roots.isEmpty ? "tidak diperiksa (KK_SIGN_CA belum diatur)" : "TIDAK terpercaya: \(report.problem ?? "-")")"
            )
            ok = report.intact && report.coversWholeFile && (report.trusted || roots.isEmpty)
            let sha256 = SHA256.hash(data: pdf).hexEncoded
            do {
                let answer = try await server.client(.sign).call(public: IssuedRecordLookup(pdfSHA256: sha256, documentID: nil, contentSHA256: nil))
                if let record = answer.record {
                    print("Arsip dinas      TERCATAT: \(record)")
                    print("Status KK        \(answer.standing ?? "-")")
                    ok = ok && answer.standing == "BERLAKU"
                } else {
                    print("Arsip dinas      TIDAK TERCATAT: tidak ada KK yang diterbitkan dengan isi persis berkas ini")
                    ok = false
                }
            } catch let failure as CLIFailure {
                // Offline the signature is still checked; the record is not.
                print("Arsip dinas      tidak diperiksa: \(failure.description)")
            }
        }
        if let reference {
            guard let parsed = VerificationReference(reference) else {
                throw CLIFailure("'\(reference)' bukan kode QR KK (alamat halaman verifikasi .../<dokumen>?h=<sha256>, atau teks KKBANTUL:1:...).")
            }
            let lookup = IssuedRecordLookup(pdfSHA256: nil, documentID: parsed.documentID, contentSHA256: parsed.contentSHA256)
            let answer = try await server.client(.sign).call(public: lookup)
            if let record = answer.record {
                print("Kode QR          SAH: \(record)")
                print("Status KK        \(answer.standing ?? "-")")
                ok = ok && answer.standing == "BERLAKU"
            } else {
                print("Kode QR          TIDAK SAH: tidak ada KK dengan dokumen \(parsed.documentID) dan isi itu")
                ok = false
            }
        }
        if !ok { throw ExitCode(1) }
    }
}
