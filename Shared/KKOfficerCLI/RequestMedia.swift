import Foundation
import KKDomain
import KKOfficerAPI
import KKStore

/// `media`: the applicant's documents of a request, to look at (a read of
/// personal data: audited). Every officer CLI has it; `CLI` names the service
/// and the roles that may read them there.
public struct RequestMedia<CLI: OfficerCLI>: RequestOperation {
    public static var name: String { "media" }
    public static var allowed: Set<Role> { CLI.officerRoles }
    public let number: String

    public init(number: String) { self.number = number }

    public func perform(_ call: OfficerCall) async throws -> [DocumentFile] {
        let number = number  // captured alone: the closure needs no part of the generic `Self`
        return try await call.transaction { tx in
            try await DocumentFile.all(of: try await RequestStore.load(number: number, in: tx).id, in: tx)
        }
    }
}
