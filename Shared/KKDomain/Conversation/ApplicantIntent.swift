/// What an applicant's WhatsApp text means, given where the conversation
/// stands. Numbers pick from the menu; words work anywhere they are
/// unambiguous. The words of each reason and event (Indonesian, Javanese ngoko
/// and krama, English, and the usual typos) win over a greeting in the same
/// message: "selamat pagi, KK saya hilang" starts a lost-KK request.
public enum ApplicantIntent: Equatable, Sendable {
    case menu
    case choose(RequestReason)
    /// The event behind a data change, answering the list of events.
    case event(ChangeEvent)
    /// The document being sent page by page is complete ("lanjut").
    case documentComplete
    case statusAll
    case status(number: String)
    case cancel(number: String?)
    case confirm
    case decline
    /// A 1-5 score of the service, answering the closing message.
    case score(Int)
    case unknown

    /// Longer texts are not read for an intent: an applicant who names a reason or
    /// asks for the status writes a sentence or a paragraph, and a page of text
    /// (pasted, or garbage) would otherwise contain some reason's word by chance.
    public static let longestCommand = 1000

    public static func parse(_ text: String, stage: ConversationStage) -> ApplicantIntent {
        guard text.count <= longestCommand else { return .unknown }
        let message = ApplicantWords(text)
        let words = message.words
        let number = message.raw.lazy.compactMap { RequestNumber($0) }.first?.description

        // "5", "4 puas", "nilai 5": a score, only right after the closing message asked for one.
        if stage == .rating, let score = words.prefix(2).lazy.compactMap({ Int($0) }).first(where: { (1...5).contains($0) }), words.count <= 3 {
            return .score(score)
        }
        if stage == .confirmingCancel {
            if message.startsWith(ApplicantVocabulary.yes) { return .confirm }
            if number == nil, !message.startsWith(ApplicantVocabulary.cancel) { return .decline }
        }
        if stage == .collecting, number == nil, words.count <= 4, message.startsWith(ApplicantVocabulary.documentComplete) {
            return .documentComplete
        }
        if message.startsWith(ApplicantVocabulary.cancel) { return .cancel(number: number) }
        if let number { return .status(number: number) }
        if message.contains(any: ApplicantVocabulary.status) { return .statusAll }

        if stage == .choosingEvent {
            if words.count == 1, let choice = Int(words[0]), let event = ChangeEvent(menuNumber: choice) { return .event(event) }
            if let event = ChangeEvent.mentioned(in: text) { return .event(event) }
        }
        let choosing = stage == .choosingEvent || stage == .idle || stage == .choosing || stage == .rating
        if choosing {
            switch words.joined(separator: " ") {
            case "1": return .choose(.dataChange)
            case "2": return .choose(.lost)
            case "3": return .choose(.damaged)
            case "4": return .statusAll
            case "5": return .cancel(number: nil)
            default: break
            }
            // Lost and damaged first: "ganti KK yang hilang" asks for a lost KK's replacement.
            if message.contains(any: ApplicantVocabulary.lost) { return .choose(.lost) }
            if message.contains(any: ApplicantVocabulary.damaged) { return .choose(.damaged) }
            if message.contains(any: ApplicantVocabulary.dataChange) { return .choose(.dataChange) }
        }
        if words.isEmpty || message.contains(any: ApplicantVocabulary.greetings) { return .menu }
        return .unknown
    }

    /// Whether a photo's caption says the document is complete with it
    /// ("lanjut", "halaman terakhir", "sudah lengkap").
    public static func captionCompletesDocument(_ caption: String) -> Bool {
        guard caption.count <= longestCommand else { return false }
        return ApplicantWords(caption).contains(any: ApplicantVocabulary.documentComplete + ApplicantVocabulary.lastPage)
    }

    public var isScore: Bool {
        if case .score = self { true } else { false }
    }
}

/// A message as the vocabulary matches it: lower case, split into words, and
/// each word "squeezed" (repeated letters made one: "haloooo", "hilangg" and
/// "halo", "hilang" meet).
struct ApplicantWords {
    /// The words as written (lower case), for request numbers.
    let raw: [String]
    /// The squeezed words.
    let words: [String]

    init(_ text: String) {
        raw = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" && $0 != "'" }).map(String.init)
        words = raw.map(Self.squeeze)
    }

    static func squeeze(_ word: String) -> String {
        var result = ""
        for character in word where character.isLetter || character.isNumber {
            if result.last != character || character.isNumber { result.append(character) }
        }
        return result
    }

    /// Whether one of `phrases` (each one or more squeezed words) occurs as whole words.
    func contains(any phrases: [[String]]) -> Bool {
        phrases.contains { phrase in
            guard phrase.count <= words.count else { return false }
            return (0...(words.count - phrase.count)).contains { words[$0..<($0 + phrase.count)].elementsEqual(phrase) }
        }
    }

    /// Whether the message begins with one of `phrases`.
    func startsWith(_ phrases: [[String]]) -> Bool {
        phrases.contains { words.starts(with: $0) }
    }
}

extension ChangeEvent {
    /// The event `text` names, tried in `ApplicantVocabulary.events`' order;
    /// nil for a text over `ApplicantIntent.longestCommand` characters or one naming none.
    public static func mentioned(in text: String) -> ChangeEvent? {
        guard text.count <= ApplicantIntent.longestCommand else { return nil }
        let message = ApplicantWords(text)
        return ApplicantVocabulary.events.first { message.contains(any: $0.1) }?.0
    }
}
