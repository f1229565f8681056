import ArgumentParser
import Crypto
import Foundation
import KKRuntime
import KKSigning
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
    }

    func perform(pool: PostgresPool) async throws -> Answer {
        let select = "SELECT r.number, d.kk_number, d.family_version, d.signed_at, d.signed_by FROM kk_documents d JOIN requests r ON r.id = d.request_id"
        let rows: [PostgresRow]
        if let pdfSHA256 {
            rows = try await pool.query("\(unescaped: select) WHERE d.sha256 = \(pdfSHA256)").rows
        } else if let documentID, let contentSHA256 {
            rows = try await pool.query("\(unescaped: select) WHERE d.id = \(documentID) AND d.content_sha256 = \(contentSHA256)").rows
        } else {
            throw CLIFailure("Sebutkan sha256 berkas PDF, atau dokumen dan isi dari kode QR.")
        }
        guard let row = rows.first else { return Answer(record: nil) }
        return Answer(record: "permohonan \(try row.decode("number", as: String.self)), KK \(try row.decode("kk_number", as: String.self)) "
            + "versi \(try row.decode("family_version", as: Int32.self)), ditandatangani \(WIBTime.format(try row.decode("signed_at", as: Date.self))) "
            + "oleh \(try row.decode("signed_by", as: String.self))")
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
    @Option(help: "Teks kode QR pada KK (KKBANTUL:1:...), untuk memeriksa tanpa berkas PDF.") var reference: String?
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
            print("Sertifikat       \(report.trusted ? "terpercaya" : roots.isEmpty ? "tidak diperiksa (KK_SIGN_CA belum diatur)" : "TIDAK terpercaya: \(report.problem ?? "-")")")
            ok = report.intact && report.coversWholeFile && (report.trusted || roots.isEmpty)
            let sha256 = SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined()
            do {
                if let record = try await server.client(.sign).call(public: IssuedRecordLookup(pdfSHA256: sha256, documentID: nil, contentSHA256: nil)).record {
                    print("Arsip dinas      TERCATAT: \(record)")
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
            guard let parsed = VerificationReference(reference) else { throw CLIFailure("'\(reference)' bukan kode QR KK (harus diawali KKBANTUL:1:).") }
            let lookup = IssuedRecordLookup(pdfSHA256: nil, documentID: parsed.documentID, contentSHA256: parsed.contentSHA256)
            if let record = try await server.client(.sign).call(public: lookup).record {
                print("Kode QR          SAH: \(record)")
            } else {
                print("Kode QR          TIDAK SAH: tidak ada KK dengan dokumen \(parsed.documentID) dan isi itu")
                ok = false
            }
        }
        if !ok { throw ExitCode(1) }
    }
}
