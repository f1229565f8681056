import Foundation
import KKDomain
import KKOfficerAPI
import KKSigning
import Postgres

/// Step 1 of SOP 7 (`kk-sign sign` calls it first): the approved draft rendered
/// unsigned, with its document id and signing time fixed, for her to sign.
struct PrepareSignature: RequestOperation {
    static let name = "siapkan"
    static let allowed: Set<Role> = [.headOfDepartment]
    let number: String

    func perform(_ call: OfficerCall) async throws -> SignatureRequest {
        let signing = DocumentSigning(officer: call.officer)
        return try await call.transaction { try await signing.prepare(number, in: $0) }
    }
}

/// Step 3 of SOP 7: the PDF she signed on her machine. kk-sign checks it
/// against what it prepared and her certificate, then issues the KK.
struct SignedUpload: RequestOperation {
    static let name = "sign"
    static let allowed: Set<Role> = [.headOfDepartment]
    let number: String
    let documentID: UUID
    let signedPDF: Data

    func perform(_ call: OfficerCall) async throws -> DocumentSigning.Signed {
        let roots = try DocumentSigning.trustRoots()
        let signing = DocumentSigning(officer: call.officer)
        return try await call.transaction { try await signing.complete(self, trustRoots: roots, in: $0) }
    }
}
