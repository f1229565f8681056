import Foundation
import KKDomain

/// What an applicant's text means, given where the conversation stands.
/// Numbers pick from the menu; words work anywhere they are unambiguous.
enum ApplicantIntent: Equatable {
    case menu
    case choose(RequestReason)
    case statusAll
    case status(number: String)
    case cancel(number: String?)
    case confirm
    case decline
    /// A 1-5 score of the service, answering the closing message.
    case score(Int)
    case unknown

    static func parse(_ text: String, stage: ConversationStage) -> ApplicantIntent {
        let lowered = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        let words = lowered.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" }).map(String.init)
        let number = words.lazy.compactMap { RequestNumber($0) }.first?.description

        // "5", "4 puas", "nilai 5": a score, only right after the closing message asked for one.
        if stage == .rating, let score = words.prefix(2).lazy.compactMap({ Int($0) }).first(where: { (1...5).contains($0) }), words.count <= 3 {
            return .score(score)
        }
        if stage == .confirmingCancel {
            if ["ya", "y", "iya", "yes", "ok", "oke"].contains(words.first ?? "") { return .confirm }
            if number == nil, !["batal", "batalkan"].contains(words.first ?? "") { return .decline }
        }
        if let first = words.first, ["batal", "batalkan", "cancel"].contains(first) { return .cancel(number: number) }
        if let number { return .status(number: number) }
        if words.contains("status") || lowered == "cek" { return .statusAll }
        if words.contains(where: { Self.greetings.contains($0) }) || lowered.isEmpty { return .menu }

        guard stage == .idle || stage == .choosing || stage == .rating else { return .unknown }
        switch lowered {
        case "1": return .choose(.dataChange)
        case "2": return .choose(.lost)
        case "3": return .choose(.damaged)
        case "4": return .statusAll
        case "5": return .cancel(number: nil)
        default: break
        }
        if words.contains("hilang") { return .choose(.lost) }
        if words.contains("rusak") { return .choose(.damaged) }
        if words.contains(where: { ["perubahan", "ubah", "mengubah", "ganti"].contains($0) }) { return .choose(.dataChange) }
        return .unknown
    }

    var isScore: Bool {
        if case .score = self { true } else { false }
    }

    static let greetings: Set<String> = [
        "menu", "halo", "hallo", "helo", "hai", "hi", "hello", "assalamualaikum", "assalamu'alaikum", "mulai", "start",
        "bantuan", "help", "info", "pagi", "siang", "sore", "malam", "permisi", "p",
    ]
}
