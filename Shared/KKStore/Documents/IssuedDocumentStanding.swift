import Foundation

/// Where a signed KK stands today, as the public verification page and
/// `kk-sign verify` tell it: valid, replaced by a newer KK of the same family,
/// or revoked by the Kepala Dinas (`SignedDocuments.standing`).
public struct IssuedDocumentStanding: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case valid
        /// A KK of the same family with a newer register version was signed on that date.
        case replaced(on: Date)
        case revoked(on: Date, reason: String)

        /// The outcome as `public_verifications` records it.
        public var outcome: String {
            switch self {
            case .valid: "sah"
            case .replaced: "diganti"
            case .revoked: "dicabut"
            }
        }
    }

    public let documentID: UUID
    public let requestNumber: String
    public let kkNumber: String
    public let familyVersion: Int
    public let signedAt: Date
    public let signedBy: String
    public let headInitials: String?
    public let state: State

    /// "3402••••••••0001": enough to match the card in hand, not enough to use.
    public var maskedKKNumber: String {
        guard kkNumber.count > 8 else { return String(repeating: "•", count: kkNumber.count) }
        return kkNumber.prefix(4) + String(repeating: "•", count: kkNumber.count - 8) + kkNumber.suffix(4)
    }

    /// "S. W." for "SRI WAHYUNI": the initials of each word of a name.
    public static func initials(of name: String) -> String {
        name.split(whereSeparator: { $0 == " " || $0 == "." || $0 == "," }).compactMap(\.first).map { "\($0.uppercased())." }.joined(separator: " ")
    }
}
