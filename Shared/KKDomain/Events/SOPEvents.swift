import Foundation

/// A request moved from one state to another (every transition in the log).
public struct RequestTransitioned: EventPayload, Equatable {
    public static let eventType = "kk.request.transitioned"
    public static let schemaVersion = 1
    public let action: RequestAction
    public let from: RequestState
    public let to: RequestState
    public let note: String?
    public let step: SOPStep?

    public init(action: RequestAction, from: RequestState, to: RequestState, note: String?, step: SOPStep?) {
        self.action = action
        self.from = from
        self.to = to
        self.note = note
        self.step = step
    }
}

/// SOP 2: a complete request, opened by the service officer (kk.requests.accepted).
public struct RequestAccepted: EventPayload, Equatable {
    public static let eventType = "kk.request.accepted"
    public static let schemaVersion = 1
    public let requestNumber: String
    public let reason: RequestReason
    /// Media ids of the documents, with their kind.
    public let documents: [DocumentReference]

    public init(requestNumber: String, reason: RequestReason, documents: [DocumentReference]) {
        self.requestNumber = requestNumber
        self.reason = reason
        self.documents = documents
    }
}

/// A stored file referred to by id and digest, never by content.
public struct DocumentReference: Codable, Sendable, Equatable {
    public let mediaId: UUID
    public let kind: DocumentKind
    public let sha256: String

    public init(mediaId: UUID, kind: DocumentKind, sha256: String) {
        self.mediaId = mediaId
        self.kind = kind
        self.sha256 = sha256
    }
}

/// SOP 4: the print request with the draft KK (kk.drafts.submitted).
public struct DraftSubmitted: EventPayload, Equatable {
    public static let eventType = "kk.draft.submitted"
    public static let schemaVersion = 1
    public let requestNumber: String
    public let draftId: UUID
    public let preparedBy: String

    public init(requestNumber: String, draftId: UUID, preparedBy: String) {
        self.requestNumber = requestNumber
        self.draftId = draftId
        self.preparedBy = preparedBy
    }
}

/// SOP 5-6: the draft is verified valid (kk.drafts.verified).
public struct DraftVerified: EventPayload, Equatable {
    public static let eventType = "kk.draft.verified"
    public static let schemaVersion = 1
    public let requestNumber: String
    public let draftId: UUID
    public let verifiedBy: String

    public init(requestNumber: String, draftId: UUID, verifiedBy: String) {
        self.requestNumber = requestNumber
        self.draftId = draftId
        self.verifiedBy = verifiedBy
    }
}

/// A return path: "Belum Lengkap" or "Belum Valid" (kk.requests.returned).
public struct RequestReturned: EventPayload, Equatable {
    public enum Kind: String, Codable, Sendable {
        case incomplete = "belum_lengkap"
        case invalid = "belum_valid"
    }

    public static let eventType = "kk.request.returned"
    public static let schemaVersion = 1
    public let requestNumber: String
    public let kind: Kind
    public let missingDocuments: [DocumentKind]
    /// What the applicant must do, in the officer's words.
    public let reason: String

    public init(requestNumber: String, kind: Kind, missingDocuments: [DocumentKind], reason: String) {
        self.requestNumber = requestNumber
        self.kind = kind
        self.missingDocuments = missingDocuments
        self.reason = reason
    }
}

/// SOP 7: the KK is signed (kk.documents.signed).
public struct DocumentSigned: EventPayload, Equatable {
    public static let eventType = "kk.document.signed"
    public static let schemaVersion = 1
    public let requestNumber: String
    public let documentId: UUID
    public let sha256: String
    public let certificateFingerprint: String

    public init(requestNumber: String, documentId: UUID, sha256: String, certificateFingerprint: String) {
        self.requestNumber = requestNumber
        self.documentId = documentId
        self.sha256 = sha256
        self.certificateFingerprint = certificateFingerprint
    }
}

/// SOP 8-9: the PDF reached the applicant (kk.documents.delivered).
public struct DocumentDelivered: EventPayload, Equatable {
    public static let eventType = "kk.document.delivered"
    public static let schemaVersion = 1
    public let requestNumber: String
    public let documentId: UUID
    public let whatsappMessageId: String

    public init(requestNumber: String, documentId: UUID, whatsappMessageId: String) {
        self.requestNumber = requestNumber
        self.documentId = documentId
        self.whatsappMessageId = whatsappMessageId
    }
}

/// SOP 10: archived in the layered backups (kk.documents.archived).
public struct DocumentArchived: EventPayload, Equatable {
    public static let eventType = "kk.document.archived"
    public static let schemaVersion = 1
    public let requestNumber: String
    public let documentId: UUID
    public let copies: Int

    public init(requestNumber: String, documentId: UUID, copies: Int) {
        self.requestNumber = requestNumber
        self.documentId = documentId
        self.copies = copies
    }
}
