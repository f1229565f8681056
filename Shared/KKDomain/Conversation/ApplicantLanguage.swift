/// The language an applicant writes in, as far as the office answers it:
/// Indonesian (the default, also for Javanese) or English, for which the
/// replies carry a short English line before the Indonesian text.
public enum ApplicantLanguage: Sendable, Equatable {
    case indonesian
    case english

    /// English when at least two of the message's words are common English
    /// words and they outnumber the Indonesian and Javanese ones.
    public static func of(_ text: String) -> ApplicantLanguage {
        let words = ApplicantWords(text).words
        let english = words.filter(englishWords.contains).count
        let local = words.filter(localWords.contains).count
        return english >= 2 && english > local ? .english : .indonesian
    }

    static let englishWords: Set<String> = Set(
        [
            "i", "my", "me", "the", "a", "is", "are", "was", "want", "need", "please", "family", "card", "lost", "lose", "damaged",
            "broken", "torn", "change", "update", "correct", "how", "what", "where", "when", "can", "could", "would", "you", "your",
            "thanks", "thank", "hello", "good", "morning", "new", "baby", "born", "of", "for", "to", "and", "it", "has", "have",
            "been", "check", "request", "apply", "status", "help", "our", "we", "wet", "missing",
        ].map(ApplicantWords.squeeze))

    static let localWords: Set<String> = Set(
        [
            "saya", "aku", "kk", "mau", "ingin", "tolong", "mohon", "yang", "dan", "di", "ke", "ini", "itu", "sudah", "belum", "kartu",
            "keluarga", "hilang", "rusak", "pak", "bu", "kak", "min", "mas", "mbak", "nggih", "kulo", "kula", "dalem", "badhe",
            "ajeng", "pripun", "piye", "niki", "nika", "kok", "ya", "gimana", "bagaimana", "apa", "kapan", "dong", "anak", "bayi",
            "lahir", "ubah", "data", "status", "cek", "untuk", "dengan", "karena", "tidak", "ora", "mboten",
        ].map(ApplicantWords.squeeze))
}
