import ArgumentParser
import Crypto
import Foundation
import KKRuntime
import KKSigning
import Postgres
import SwiftASN1
import X509

/// `kk-sign verify <pdf>`: who signed, when, whether the bytes are intact,
/// and whether this is the document on record. Needs no sign-in; reads
/// KK_SIGN_CA for the trusted roots and KK_DATABASE_URL for the record.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Periksa keaslian KK PDF: penanda tangan, waktu, keutuhan isi, dan kecocokan dengan arsip dinas.")
    @Argument(help: "Berkas PDF KK.") var file: String?
    @Option(help: "Teks kode QR pada KK (KKBANTUL:1:...), untuk memeriksa tanpa berkas PDF.") var reference: String?

    func validate() throws {
        guard file != nil || reference != nil else { throw ValidationError("Sebutkan berkas PDF atau --reference dari kode QR.") }
    }

    func run() async throws {
        var ok = true
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIFailure("Berkas '\(file)' tidak dapat dibaca.") }
            let pdf = Array(data)
            let roots = try Self.trustRoots()
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
            if let record = try await Self.lookup(.pdf(sha256: sha256)) {
                print("Arsip dinas      TERCATAT: \(record)")
            } else if ProcessInfo.processInfo.environment["KK_DATABASE_URL"] != nil {
                print("Arsip dinas      TIDAK TERCATAT: tidak ada KK yang diterbitkan dengan isi persis berkas ini")
                ok = false
            }
        }
        if let reference {
            guard let parsed = VerificationReference(reference) else { throw CLIFailure("'\(reference)' bukan kode QR KK (harus diawali KKBANTUL:1:).") }
            if let record = try await Self.lookup(.reference(parsed)) {
                print("Kode QR          SAH: \(record)")
            } else {
                print("Kode QR          TIDAK SAH: tidak ada KK dengan dokumen \(parsed.documentID) dan isi itu")
                ok = false
            }
        }
        if !ok { throw ExitCode(1) }
    }

    static func trustRoots() throws -> [Certificate] {
        guard let path = ProcessInfo.processInfo.environment["KK_SIGN_CA"] else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure("KK_SIGN_CA '\(path)' tidak dapat dibaca.") }
        return try PEMDocument.parseMultiple(pemString: String(decoding: data, as: UTF8.self)).map { try Certificate(pemDocument: $0) }
    }

    enum Key { case pdf(sha256: String), reference(VerificationReference) }

    /// "permohonan KK-..., KK 3402... versi 2, ditandatangani ... oleh ..." for the issued KK matching `key`.
    static func lookup(_ key: Key) async throws -> String? {
        guard ProcessInfo.processInfo.environment["KK_DATABASE_URL"] != nil else { return nil }
        let env = try CLIEnvironment.load(needsKafka: false)
        let pool = try await PostgresPool.connect(url: env.databaseURL, size: 1, logger: CLILogger.make(SigningHandler.name))
        defer { Task { await pool.close() } }
        let select = "SELECT r.number, d.kk_number, d.family_version, d.signed_at, d.signed_by FROM kk_documents d JOIN requests r ON r.id = d.request_id"
        let rows: [PostgresRow]
        switch key {
        case let .pdf(sha256):
            rows = try await pool.query("\(unescaped: select) WHERE d.sha256 = \(sha256)").rows
        case let .reference(reference):
            rows = try await pool.query(
                "\(unescaped: select) WHERE d.id = \(reference.documentID) AND d.content_sha256 = \(reference.contentSHA256)").rows
        }
        guard let row = rows.first else { return nil }
        return "permohonan \(try row.decode("number", as: String.self)), KK \(try row.decode("kk_number", as: String.self)) "
            + "versi \(try row.decode("family_version", as: Int32.self)), ditandatangani \(WIBTime.format(try row.decode("signed_at", as: Date.self))) "
            + "oleh \(try row.decode("signed_by", as: String.self))"
    }
}
