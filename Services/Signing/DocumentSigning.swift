import Crypto
import Foundation
import KKDocument
import KKDomain
import KKRuntime
import KKSigning
import Postgres

/// SOP 7 for one request, in one transaction: render the KK from the verified
/// draft, sign the PDF with the Kepala Dinas' certificate, store it and its
/// SHA-256, make the draft the family's current record, and publish
/// kk.documents.signed. Any failure leaves the request as it was.
struct DocumentSigning {
    let identity: SigningIdentity
    let officer: Officer

    struct Signed {
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
            verificationReference: reference, documentID: documentID)
    }

    func sign(_ number: String, in tx: PostgresTransaction, now: Date = Date()) async throws -> Signed {
        let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
        try await OfficerQueue.signing.take(request, by: officer, in: tx)
        guard var draft = try await FamilyDraft.load(requestID: request.id, forUpdate: true, in: tx) else {
            throw FamilyRegisterError.noDraft(number: request.number)
        }
        try await RequestStore.transition(request.id, action: .sign, by: officer.actor, note: "TTE \(identity.signerName)", at: now, in: tx)
        let issueDate = CalendarDate(now)
        let documentID = UUID()
        var issued = draft.record
        issued.issueDate = issueDate
        let reference = try VerificationReference(documentID: documentID, record: issued)
        let unsigned = try KKDocumentRenderer.render(
            Self.content(draft.record, issueDate: issueDate, signer: officer, documentID: documentID, reference: reference.text))
        let pdf = try PDFSigner.sign(
            unsigned,
            info: PDFSignatureInfo(
                name: identity.signerName, reason: "Penerbitan Kartu Keluarga \(draft.kkNumber) (permohonan \(request.number))",
                location: "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bantul", signingTime: now)
        ) { try identity.cmsSignature($0, at: now) }
        let sha256 = SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined()
        let version = try await draft.promote(issueDate: issueDate, in: tx)
        let mediaID = UUID()
        try await tx.execute(
            """
            INSERT INTO media (id, sha256, content_type, size_bytes, bytes, file_name, source, request_id)
            VALUES (\(mediaID), \(sha256), 'application/pdf', \(pdf.count), \(pdf), \("KK-\(draft.kkNumber).pdf"), 'kk-sign', \(request.id))
            """)
        try await tx.execute(
            """
            INSERT INTO kk_documents (id, request_id, draft_id, kk_number, family_version, media_id, sha256, content_sha256,
                certificate_fingerprint, signed_by, signed_at)
            VALUES (\(documentID), \(request.id), \(draft.id), \(draft.kkNumber), \(version), \(mediaID), \(sha256),
                \(reference.contentSHA256), \(identity.fingerprint), \(officer.username), \(now))
            """)
        try await OfficerQueue.signing.remove(request.id, in: tx)
        let event = DocumentSigned(requestNumber: request.number, documentId: documentID, sha256: sha256, certificateFingerprint: identity.fingerprint)
        try await Outbox.enqueue(
            [OutgoingMessage(topic: .documentsSigned, envelope: EventEnvelope(payload: event, requestId: request.id, actor: officer.actor))],
            source: SigningHandler.name, in: tx)
        return Signed(number: request.number, documentID: documentID, sha256: sha256, familyVersion: version)
    }

    /// Loads the certificate and key, refusing a certificate that is not the signed-in Kepala Dinas'.
    static func identity(for officer: Officer) throws -> SigningIdentity {
        let identity: SigningIdentity
        do {
            identity = try SigningIdentity.load()
        } catch let error as SigningIdentityError {
            throw CLIFailure(error.description)
        }
        if let nip = identity.signerNIP, nip != officer.nip {
            throw CLIFailure(
                "Sertifikat tanda tangan milik NIP \(nip) (\(identity.signerName)), bukan \(officer.fullName) (NIP \(officer.nip)); "
                    + "hanya pemilik sertifikat yang boleh menandatangani.")
        }
        return identity
    }
}
