/// An applicant's answer to the privacy notice (UU 27/2022): nothing but the
/// WhatsApp contact is stored until they agree.
public enum ConsentAnswer: Equatable, Sendable {
    case agree
    case refuse

    /// "SETUJU", "ya saya setuju", "I agree": `.agree`; "tidak", "tolak": `.refuse`;
    /// anything else (a greeting, a question, a request) answers nothing and gets the notice again.
    public static func read(_ text: String) -> ConsentAnswer? {
        guard text.count <= 200 else { return nil }
        let message = ApplicantWords(text)
        guard message.words.count <= 6 else { return nil }
        // "tidak setuju" starts with a refusal; check it before "setuju".
        if message.startsWith(ApplicantVocabulary.refuse) { return .refuse }
        if message.startsWith(ApplicantVocabulary.agree) { return .agree }
        return nil
    }
}
