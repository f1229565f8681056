import Crypto
import Foundation
import Hex
import KKDocument
import KKDomain
import KKMessaging
import KKOfficerCLI
import KKSigning
import KKStore
import Postgres
import SwiftASN1
import X509

/// SOP 7 in two steps, so that the Kepala Dinas' private key never leaves her
/// machine:
/// 1. `prepare`: kk-sign renders the verified draft as the unsigned KK PDF
///    (document id, issue date and signing time fixed) and keeps it;
/// 2. her CLI signs exactly those bytes with her key (`PDFSigner`) and uploads
///    the signed PDF;
/// 3. `complete`: kk-sign accepts it only when it is that unsigned PDF plus one
///    signature (rebuilt here byte for byte), the signature is valid, her
///    certificate chains to the configured CA and is within its validity, and
///    its NIP is the signed-in Kepala Dinas'. Then, in one transaction: the
///    PDF and its SHA-256 are stored, the draft becomes the family's current
///    record, and kk.documents.signed is published. Any failure changes nothing.
struct DocumentSigning {
    let officer: Officer

    /// Where the signature was made, as the PDF signature records it: the office's name.
    static var location: String { OfficeProfile.current.officeName }

    struct Signed: Codable, Sendable {
        let number: String
        let documentID: UUID
        let sha256: String
        let familyVersion: Int
    }

    /// The content printed on the KK for `draft`, issued on `issueDate`.
    static func content(
        _ record: FamilyRecord, issueDate: CalendarDate, signer officer: Officer, documentID: UUID, reference: String
    ) -> KKDocumentContent {
        var issued = record
        issued.issueDate = issueDate
        return KKDocumentContent(
            record: issued, issueDate: issueDate, signerName: officer.fullName.uppercased(), signerNIP: officer.nip,
            verificationReference: reference, documentID: documentID, certificateIssuer: configuredIssuer)
    }

    /// `certificateIssuer()` of this process, worked out once: it reads and parses
    /// KK_SIGN_CA's PEM files, which no KK rendered needs to do again.
    static let configuredIssuer = (try? certificateIssuer()) ?? nationalIssuer

    /// The national CA that issues the Kepala Dinas' certificate in production.
    static let nationalIssuer = "Balai Besar Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara"

    /// Who issued the signing certificate, as the KK's electronic-signature
    /// statement names it: KK_SIGN_CERTIFICATE_ISSUER when the office sets it,
    /// the development CA's own name when KK_SIGN_CA is one (so a demo KK never
    /// claims BSrE), BSrE otherwise.
    static func certificateIssuer(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let issuer = environment["KK_SIGN_CERTIFICATE_ISSUER"]?.trimmingCharacters(in: .whitespaces), !issuer.isEmpty { return issuer }
        if let development = try trustRoots(required: false, environment: environment).first(where: DevelopmentKeys.isDevelopmentCA) {
            return DevelopmentKeys.commonName(of: development) ?? DevelopmentKeys.caMarker
        }
        return nationalIssuer
    }

    static func reason(kkNumber: String, number: String) -> String { "Penerbitan Kartu Keluarga \(kkNumber) (permohonan \(number))" }

    /// Step 1: the unsigned PDF for the Kepala Dinas to sign, kept until she uploads it signed.
    func prepare(_ number: String, in tx: PostgresTransaction, now: Date = Date()) async throws -> SignatureRequest {
        let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
        try await OfficerQueue.signing.take(request, by: officer, in: tx)
        guard request.state == .verified else {
            throw CLIFailure("Permohonan \(request.number) tidak menunggu tanda tangan (status: \(request.state.indonesianName)).")
        }
        guard let draft = try await FamilyDraft.load(requestID: request.id, in: tx), draft.status == .verified else {
            throw FamilyRegisterError.noDraft(number: request.number)
        }
        try Self.checkApproved(draft, number: request.number)
        // Whole seconds: the time travels as ISO 8601 and must sign identically on both sides.
        let signingTime = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let issueDate = CalendarDate(signingTime)
        let documentID = UUID()
        var issued = draft.record
        issued.issueDate = issueDate
        let reference = try VerificationReference(documentID: documentID, record: issued)
        let unsigned = try KKDocumentRenderer.render(
            Self.content(
                draft.record, issueDate: issueDate, signer: officer, documentID: documentID,
                reference: reference.url(base: try VerificationReference.baseURL())))
        try await tx.execute(
            """
            INSERT INTO signature_preparations (request_id, document_id, draft_id, prepared_for, signing_time, content_sha256, unsigned_pdf)
            VALUES (\(request.id), \(documentID), \(draft.id), \(officer.username), \(signingTime), \(reference.contentSHA256), \(unsigned))
            ON CONFLICT (request_id) DO UPDATE SET document_id = EXCLUDED.document_id, draft_id = EXCLUDED.draft_id,
                prepared_for = EXCLUDED.prepared_for, signing_time = EXCLUDED.signing_time, content_sha256 = EXCLUDED.content_sha256,
                unsigned_pdf = EXCLUDED.unsigned_pdf, prepared_at = now()
            """)
        return SignatureRequest(
            number: request.number, documentID: documentID, unsignedPDF: Data(unsigned), signingTime: signingTime,
            reason: Self.reason(kkNumber: draft.kkNumber, number: request.number), location: Self.location, signerName: officer.fullName, signerNIP: officer.nip
        )
    }

    /// Step 3: checks the uploaded PDF and issues the KK.
    func complete(_ upload: SignedUpload, trustRoots: [Certificate], in tx: PostgresTransaction) async throws -> Signed {
        let request = try await RequestStore.load(number: upload.number, forUpdate: true, in: tx)
        try await OfficerQueue.signing.take(request, by: officer, in: tx)
        let rows = try await tx.query(
            .binaryResults(
                """
                SELECT document_id, draft_id, prepared_for, signing_time, content_sha256, unsigned_pdf
                FROM signature_preparations WHERE request_id = \(request.id) FOR UPDATE
                """)
        ).rows
        guard let row = rows.first, try row.decode("document_id", as: UUID.self) == upload.documentID,
            try row.decode("prepared_for", as: String.self) == officer.username
        else {
            throw SignatureRefused(
                "KK \(request.number) yang diunggah bukan yang terakhir disiapkan untuk Anda; jalankan `kk-sign sign \(request.number)` lagi.")
        }
        let signingTime = try row.decode("signing_time", as: Date.self)
        let unsigned = try row.decode("unsigned_pdf", as: [UInt8].self)
        guard var draft = try await FamilyDraft.load(requestID: request.id, forUpdate: true, in: tx), draft.status == .verified,
            draft.id == (try row.decode("draft_id", as: UUID.self))
        else { throw FamilyRegisterError.noDraft(number: request.number) }
        try Self.checkApproved(draft, number: request.number)
        let issueDate = CalendarDate(signingTime)
        var issued = draft.record
        issued.issueDate = issueDate
        let reference = try VerificationReference(documentID: upload.documentID, record: issued)
        guard reference.contentSHA256 == (try row.decode("content_sha256", as: String.self)) else {
            throw SignatureRefused(
                "Draft KK \(request.number) berubah setelah disiapkan untuk ditandatangani; tanda tangan ditolak. Jalankan `kk-sign sign \(request.number)` lagi."
            )
        }

        let signed = Array(upload.signedPDF)
        let report: PDFSignatureReport
        do {
            report = try await PDFSignatureVerifier.verify(signed, trustRoots: trustRoots)
        } catch {
            throw SignatureRefused("Tanda tangan pada PDF yang diunggah tidak dapat dibaca (\(error)); tidak ada yang disimpan.")
        }
        guard report.intact, report.coversWholeFile else {
            throw SignatureRefused("Tanda tangan tidak cocok dengan isi PDF (\(report.problem ?? "isi berubah atau ada tambahan")); tidak ada yang disimpan.")
        }
        guard report.trusted, let fingerprint = report.signerFingerprint else {
            throw SignatureRefused(
                "Sertifikat penanda tangan tidak diterima: \(report.problem ?? "tidak berantai ke CA yang dikonfigurasi") (KK_SIGN_CA di kk-sign).")
        }
        guard report.signerNIP == officer.nip else {
            throw SignatureRefused(
                "Sertifikat tanda tangan milik NIP \(report.signerNIP ?? "-") (\(report.signerName ?? "-")), bukan \(officer.fullName) "
                    + "(NIP \(officer.nip)); hanya pemilik sertifikat yang boleh menandatangani.")
        }
        // Exactly the prepared PDF plus this signature: rebuilt here and compared byte for byte,
        // so nothing can be appended, replaced or re-rendered on the signer's side.
        let field = try PDFSignatureField.read(signed)
        let expected = try PDFSigner.sign(
            unsigned,
            info: PDFSignatureInfo(
                name: report.signerName ?? "", reason: Self.reason(kkNumber: draft.kkNumber, number: request.number), location: Self.location,
                signingTime: signingTime)
        ) { _ in field.cms }
        guard expected == signed else {
            throw SignatureRefused("PDF yang diunggah bukan KK yang disiapkan untuk ditandatangani (isi berbeda); tidak ada yang disimpan.")
        }

        try await RequestStore.transition(
            request.id, action: .sign, by: officer.actor, note: "TTE \(report.signerName ?? officer.fullName)", at: signingTime, in: tx)
        let sha256 = SHA256.hash(data: signed).hexEncoded
        let version = try await draft.promote(issueDate: issueDate, in: tx)
        let mediaID = UUID()
        try await MediaFiles.storeSignedKK(id: mediaID, requestID: request.id, bytes: signed, sha256: sha256, fileName: "KK-\(draft.kkNumber).pdf", in: tx)
        try await SignedDocuments.record(
            .init(
                id: upload.documentID, requestID: request.id, draftID: draft.id, kkNumber: draft.kkNumber, familyVersion: Int(version),
                mediaID: mediaID, sha256: sha256, contentSHA256: reference.contentSHA256, certificateFingerprint: fingerprint,
                signedBy: officer.username, signedAt: signingTime, headInitials: issued.head.map { IssuedDocumentStanding.initials(of: $0.fullName) }),
            in: tx)
        try await tx.execute("DELETE FROM signature_preparations WHERE request_id = \(request.id)")
        try await OfficerQueue.signing.remove(request.id, in: tx)
        let event = DocumentSigned(requestNumber: request.number, documentId: upload.documentID, sha256: sha256, certificateFingerprint: fingerprint)
        try await Outbox.enqueue(
            [OutgoingMessage(topic: .documentsSigned, envelope: EventEnvelope(payload: event, requestId: request.id, actor: officer.actor))],
            source: SigningHandler.name, in: tx)
        return Signed(number: request.number, documentID: upload.documentID, sha256: sha256, familyVersion: version)
    }

    /// Refuses a draft whose content is not what the Kasi/Kabid approved.
    static func checkApproved(_ draft: FamilyDraft, number: String) throws {
        guard draft.isAsApproved else {
            throw SignatureRefused(
                "Draft KK \(number) tidak sama dengan yang disetujui Kasi/Kabid (isinya berubah setelah verifikasi); tidak dapat "
                    + "ditandatangani. Laporkan ke Kasi/Kabid dan operator: perubahan di luar SOP harus diperiksa sebelum draft diverifikasi ulang.")
        }
    }

    /// The CA certificates (KK_SIGN_CA) a signature must chain to. The service
    /// refuses to accept signatures without them (`required`); `kk-sign verify`
    /// then only says the chain was not checked.
    static func trustRoots(required: Bool = true, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [Certificate] {
        guard let path = environment["KK_SIGN_CA"], !path.isEmpty else {
            if !required { return [] }
            throw CLIFailure("kk-sign tidak dapat menerima tanda tangan: KK_SIGN_CA (sertifikat CA, PEM) belum diatur di layanan; hubungi operator.")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure("KK_SIGN_CA '\(path)' tidak dapat dibaca.") }
        return try PEMDocument.parseMultiple(pemString: String(decoding: data, as: UTF8.self)).map { try Certificate(pemDocument: $0) }
    }
}

/// A signed PDF kk-sign will not accept, and why (Indonesian, for the Kepala Dinas).
struct SignatureRefused: Error, OfficerFacingError {
    let description: String
    init(_ description: String) { self.description = description }
}
