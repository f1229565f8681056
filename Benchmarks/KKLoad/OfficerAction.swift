import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKSigning

/// One thing a robot officer does, and the two ways it can do it: the real CLI
/// as a process of its own (what a person at the desk types; the fault run),
/// or the officer API called from this process (`kk-bench`: the system's
/// ceiling, with no process started per action). Both go through the same
/// service operation, checks and audit.
enum OfficerAction: Sendable {
    /// SOP 2: the service officer opens a complete request.
    case open(String)
    /// SOP 3: takes it for data entry (the family the applicant was verified for).
    case take(String)
    /// SOP 3: one member's occupation changed.
    case enterOccupation(String, member: String, occupation: String)
    /// SOP 4: the print request.
    case submit(String)
    /// SOP 5-6: the Kasi/Kabid approves the draft.
    case approve(String)
    /// SOP 7: the Kepala Dinas signs one KK with her key, on this machine.
    case sign(String)
    /// SOP 8-9: the print officer sends a KK again.
    case resend(String)

    var service: OfficerService {
        switch self {
        case .open: .intake
        case .take, .enterOccupation, .submit: .entry
        case .approve: .verify
        case .sign: .sign
        case .resend: .deliver
        }
    }

    /// The command line a person would type.
    var arguments: [String] {
        switch self {
        case let .open(number): ["open", number]
        case let .take(number): ["take", number]
        case let .enterOccupation(number, member, occupation): ["enter", number, "--member", member, "--set", "jenis_pekerjaan=\(occupation)"]
        case let .submit(number): ["submit", number]
        case let .approve(number): ["approve", number]
        case let .sign(number): ["sign", number]
        case let .resend(number): ["resend", number]
        }
    }

    /// The same through the officer API, as the CLI sends it.
    func perform(on session: OfficerAPISession, signingIdentity: @Sendable () throws -> SigningIdentity) async throws {
        struct Numbered: Encodable { let number: String }
        switch self {
        case let .open(number): try await session.call(named: "open", Numbered(number: number))
        case let .take(number):
            struct Take: Encodable {
                let number: String
                let reset = false
            }
            try await session.call(named: "take", Take(number: number))
        case let .enterOccupation(number, member, occupation):
            struct Enter: Encodable {
                let number: String
                let changes: [FamilyChange]
            }
            try await session.call(
                named: "enter", Enter(number: number, changes: [.updateMember(nik: member, values: ["jenis_pekerjaan": occupation])]))
        case let .submit(number): try await session.call(named: "submit", Numbered(number: number))
        case let .approve(number): try await session.call(named: "approve", Numbered(number: number))
        case let .sign(number):
            let request = try await session.call(named: "siapkan", Numbered(number: number), as: SignatureRequest.self)
            struct Upload: Encodable {
                let number: String
                let documentID: UUID
                let signedPDF: Data
            }
            try await session.call(
                named: "sign", Upload(number: request.number, documentID: request.documentID, signedPDF: try request.signed(with: signingIdentity())))
        case let .resend(number): try await session.call(named: "resend", Numbered(number: number))
        }
    }
}
