/// Who the applicant says they are before a KK is issued (issue 19 item 3):
/// their own NIK, from the KTP-el, and the family's KK number when they have
/// it (someone whose KK is lost may not).
public struct ApplicantIdentity: Equatable, Sendable {
    public let nik: NIK
    public let kkNumber: KKNumber?

    public init(nik: NIK, kkNumber: KKNumber?) {
        self.nik = nik
        self.kkNumber = kkNumber
    }

    /// Why a message did not give an identity; each says what to write instead.
    public enum ReadError: Error, Equatable, Sendable {
        /// No 16-digit number in the message.
        case noNumber
        /// A number that is not 16 digits (a phone number, a digit missed).
        case wrongLength(Int)
        case invalidNIK(NIKError)
        case invalidKKNumber(NIKError)
        /// More than two numbers: which one is the NIK is not clear.
        case tooManyNumbers
    }

    /// Reads "NIK 3402xxxxxxxxxxxx KK 3402xxxxxxxxxxxx", "3402... 3402..." (the
    /// NIK first), or a NIK alone. Digits may be grouped with spaces, dots or
    /// dashes as they are copied from a card. A number labelled "KK" is the KK
    /// number wherever it stands.
    public static func read(_ text: String, referenceYear: Int) -> Result<ApplicantIdentity, ReadError> {
        let numbers = Self.numbers(in: text)
        guard !numbers.isEmpty else { return .failure(.noNumber) }
        if let wrong = numbers.first(where: { $0.digits.count != 16 }) { return .failure(.wrongLength(wrong.digits.count)) }
        guard numbers.count <= 2 else { return .failure(.tooManyNumbers) }
        var (nikText, kkText) = (numbers[0].digits, numbers.count == 2 ? numbers[1].digits : nil)
        if numbers.count == 2, numbers[0].labelledKK, !numbers[1].labelledKK { (nikText, kkText) = (numbers[1].digits, numbers[0].digits) }
        if numbers.count == 1, numbers[0].labelledKK { return .failure(.noNumber) }
        let nik: NIK
        do { nik = try NIK(nikText, referenceYear: referenceYear) } catch { return .failure(.invalidNIK(error)) }
        var kk: KKNumber?
        if let kkText {
            do { kk = try KKNumber(kkText, referenceYear: referenceYear) } catch { return .failure(.invalidKKNumber(error)) }
        }
        return .success(ApplicantIdentity(nik: nik, kkNumber: kk))
    }

    /// Whether a message looks like an attempt at giving numbers (10 digits or more in a run).
    public static func looksLikeNumbers(_ text: String) -> Bool {
        numbers(in: text).contains { $0.digits.count >= 10 }
    }

    struct Found {
        let digits: String
        /// "KK", "no kk", "nomor KK" just before it.
        let labelledKK: Bool
    }

    /// Runs of digits (single spaces, dots or dashes between groups of fewer than 16 digits allowed) of 10 or more digits,
    /// in order, each with whether the word just before it is "KK".
    static func numbers(in text: String) -> [Found] {
        guard text.count <= 1000 else { return [] }
        var found: [Found] = []
        var digits = ""
        var pendingSeparator = false
        var before = ""
        var runStartContext = ""
        func flush() {
            if digits.count >= 10 {
                let label = runStartContext.lowercased().split(whereSeparator: { !$0.isLetter }).last
                found.append(Found(digits: digits, labelledKK: label == "kk"))
            }
            digits = ""
            pendingSeparator = false
        }
        for character in text {
            if character.isASCII, character.isNumber {
                if digits.isEmpty { runStartContext = String(before.suffix(16)) }
                digits.append(character)
                pendingSeparator = false
            } else if !digits.isEmpty, !pendingSeparator, digits.count < 16, character == " " || character == "." || character == "-" {
                // "3402 0817 0845 0001": groups of one number; a full 16 digits end it ("NIK KK" with a space between).
                pendingSeparator = true
            } else {
                flush()
            }
            before.append(character)
            if before.count > 32 { before.removeFirst(before.count - 32) }
        }
        flush()
        return found
    }
}
