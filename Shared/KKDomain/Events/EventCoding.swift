import Foundation

/// Event times on the wire: ISO-8601 in UTC with exactly three fractional
/// digits ("2026-11-24T03:04:05.123Z"), so a time survives a round trip unchanged.
public enum EventTime {
    /// `date` at whole milliseconds: what an event can carry.
    public static func normalized(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    /// Formatted with integer arithmetic (every message carries a few of these times;
    /// a general-purpose date formatter took most of an envelope's encoding time).
    public static func format(_ date: Date) -> String {
        let ms = milliseconds(date)
        let (days, millisOfDay) = floorDivision(ms, 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        var text = ""
        text.reserveCapacity(24)
        append(year, width: 4, to: &text)
        text += "-"
        append(month, width: 2, to: &text)
        text += "-"
        append(day, width: 2, to: &text)
        text += "T"
        append(millisOfDay / 3_600_000, width: 2, to: &text)
        text += ":"
        append(millisOfDay / 60_000 % 60, width: 2, to: &text)
        text += ":"
        append(millisOfDay / 1000 % 60, width: 2, to: &text)
        text += "."
        append(millisOfDay % 1000, width: 3, to: &text)
        text += "Z"
        return text
    }

    /// Reads the wire form ("2026-11-24T03:04:05.123Z") directly, and refuses one that
    /// is out of range (February 30, hour 24); any other ISO-8601 form (no fraction, an
    /// offset) goes through Foundation's parser.
    public static func parse(_ text: String) -> Date? {
        if text.utf8.count == 24 && text.utf8.last == UInt8(ascii: "Z") { return parseWireForm(text) }
        let parsed =
            (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
        return parsed.map(normalized)
    }

    private static func parseWireForm(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "."), bytes[23] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), let millis = number(20..<23),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        let seconds = days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds * 1000 + millis) / 1000)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard Hinnant's
    /// algorithms; Foundation switches to the Julian calendar before October 1582).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivision(y, 400).quotient
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivision(z, 146_097).quotient
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDivision(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = a >= 0 ? a / b : (a - b + 1) / b
        return (quotient, a - quotient * b)
    }

    private static func append(_ value: Int64, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
        text += digits
    }

    private static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

extension JSONEncoder {
    /// The one JSON configuration for events: `EventTime` dates, sorted keys.
    /// One shared instance: configured once, then only used (encoding is thread-safe).
    public static let kkEvents: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(EventTime.format(date))
        }
        return encoder
    }()
}

extension JSONDecoder {
    /// One shared instance: configured once, then only used (decoding is thread-safe).
    public static let kkEvents: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            guard let date = EventTime.parse(text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not an ISO-8601 time")
            }
            return date
        }
        return decoder
    }()
}
