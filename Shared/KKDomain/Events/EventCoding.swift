import Foundation

/// Event times on the wire: ISO-8601 in UTC with exactly three fractional
/// digits ("2026-11-24T03:04:05.123Z"), so a time survives a round trip unchanged.
public enum EventTime {
    /// `date` at whole milliseconds: what an event can carry.
    public static func normalized(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    public static func format(_ date: Date) -> String {
        let ms = milliseconds(date)
        let seconds = Int64((Double(ms) / 1000).rounded(.down))
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(Date.ISO8601FormatStyle())
        return String(whole.dropLast()) + String(format: ".%03dZ", Int(ms - seconds * 1000))
    }

    public static func parse(_ text: String) -> Date? {
        let parsed =
            (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
        return parsed.map(normalized)
    }

    private static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

extension JSONEncoder {
    /// The one JSON configuration for events: `EventTime` dates, sorted keys.
    public static var kkEvents: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(EventTime.format(date))
        }
        return encoder
    }
}

extension JSONDecoder {
    public static var kkEvents: JSONDecoder {
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
    }
}
