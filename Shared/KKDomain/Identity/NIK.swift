import Foundation

/// The 16 digits shared by NIK and KK numbers: region (6), date (6), sequence (4).
struct SixteenDigitNumber: Sendable {
    let digits: String
    let region: String
    let dd: Int
    let mm: Int
    let yy: Int
    let sequence: Int

    init(_ text: String) throws(NIKError) {
        guard text.count == 16 else { throw .wrongLength(text.count) }
        guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw .notDigits }
        let d = Array(text.utf8).map { Int($0 - 48) }
        func n(_ i: Int, _ len: Int) -> Int { d[i..<(i + len)].reduce(0) { $0 * 10 + $1 } }
        region = String(text.prefix(6))
        guard Region.provinces[String(text.prefix(2))] != nil else { throw .unknownProvince(String(text.prefix(2))) }
        guard n(2, 2) != 0, n(4, 2) != 0 else { throw .invalidRegion(region) }
        dd = n(6, 2)
        mm = n(8, 2)
        yy = n(10, 2)
        sequence = n(12, 4)
        digits = text
    }

    /// The four-digit year of a two-digit one: the most recent that is not in the future.
    static func year(_ yy: Int, reference: Int) -> Int {
        let century = reference / 100 * 100
        return century + yy > reference ? century - 100 + yy : century + yy
    }
}

/// Nomor Induk Kependudukan: the 16-digit population number.
/// Region of first registration (6) + birth date DDMMYY, day + 40 for women (6) + sequence (4).
public struct NIK: Hashable, Codable, Sendable, CustomStringConvertible {
    public let value: String
    public let regionCode: String
    public let sex: Sex
    private let dd: Int
    private let mm: Int
    private let yy: Int

    public init(_ string: String, referenceYear: Int = CalendarDate(Date()).year) throws(NIKError) {
        let number = try SixteenDigitNumber(string)
        guard (1...12).contains(number.mm) else { throw .invalidMonth(number.mm) }
        let female = number.dd > 40
        let day = female ? number.dd - 40 : number.dd
        guard (1...31).contains(day), number.dd <= 71 else { throw .invalidDay(number.dd) }
        let year = SixteenDigitNumber.year(number.yy, reference: referenceYear)
        guard CalendarDate(year: year, month: number.mm, day: day) != nil else {
            throw .impossibleDate(day: day, month: number.mm, year: year)
        }
        guard number.sequence != 0 else { throw .zeroSequence }
        value = string
        regionCode = number.region
        sex = female ? .female : .male
        dd = day
        mm = number.mm
        yy = number.yy
    }

    /// The birth date, its century resolved so it is not after `referenceYear`.
    public func birthDate(referenceYear: Int = CalendarDate(Date()).year) -> CalendarDate {
        CalendarDate(year: SixteenDigitNumber.year(yy, reference: referenceYear), month: mm, day: dd)!
    }

    /// The NIK must agree with the member's recorded sex and birth date.
    public func validate(against sex: Sex, birthDate: CalendarDate) throws(NIKError) {
        guard sex == self.sex else { throw .sexMismatch(recorded: sex, encoded: self.sex) }
        guard birthDate.day == dd, birthDate.month == mm, birthDate.year % 100 == yy else {
            throw .birthDateMismatch(recorded: birthDate, encoded: String(format: "%02d-%02d-%02d", dd, mm, yy))
        }
    }

    /// For logs: region prefix and sequence only, e.g. "3402********0001".
    public var masked: String { String(repeating: "*", count: 12) + String(value.suffix(4)) }

    public var description: String { value }

    /// A valid NIK for sample data and tests.
    public static func make(region: String, birthDate: CalendarDate, sex: Sex, sequence: Int) -> NIK {
        let day = birthDate.day + (sex == .female ? 40 : 0)
        let text = region + String(format: "%02d%02d%02d%04d", day, birthDate.month, birthDate.year % 100, sequence)
        return try! NIK(text, referenceYear: max(birthDate.year, CalendarDate(Date()).year))
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try NIK(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// The 16-digit KK (family card) number: region (6) + issue date DDMMYY (6) + sequence (4).
public struct KKNumber: Hashable, Codable, Sendable, CustomStringConvertible {
    public let value: String
    public let regionCode: String
    public let issueDate: CalendarDate

    public init(_ string: String, referenceYear: Int = CalendarDate(Date()).year) throws(NIKError) {
        let number = try SixteenDigitNumber(string)
        let year = SixteenDigitNumber.year(number.yy, reference: referenceYear)
        guard let date = CalendarDate(year: year, month: number.mm, day: number.dd) else {
            throw .invalidIssueDate(day: number.dd, month: number.mm, year: year)
        }
        guard number.sequence != 0 else { throw .zeroSequence }
        value = string
        regionCode = number.region
        issueDate = date
    }

    public var masked: String { String(repeating: "*", count: 12) + String(value.suffix(4)) }

    public var description: String { value }

    public static func make(region: String, issueDate: CalendarDate, sequence: Int) -> KKNumber {
        let text = region + String(format: "%02d%02d%02d%04d", issueDate.day, issueDate.month, issueDate.year % 100, sequence)
        return try! KKNumber(text, referenceYear: max(issueDate.year, CalendarDate(Date()).year))
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try KKNumber(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
