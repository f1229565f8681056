import Foundation

/// The number applicants and officers use: "KK-20261124-000123" (date of the
/// request in WIB and a sequence).
public struct RequestNumber: Hashable, Sendable, CustomStringConvertible {
    public let date: CalendarDate
    public let sequence: Int

    public init(date: CalendarDate, sequence: Int) {
        self.date = date
        self.sequence = sequence
    }

    /// Parses "KK-YYYYMMDD-NNNNNN" (case-insensitive).
    public init?(_ text: String) {
        let parts = text.uppercased().split(separator: "-")
        guard parts.count == 3, parts[0] == "KK", parts[1].count == 8, parts[2].count >= 6,
            let ymd = Int(parts[1]), let seq = Int(parts[2]), seq > 0,
            let date = CalendarDate(year: ymd / 10000, month: ymd / 100 % 100, day: ymd % 100)
        else { return nil }
        self.init(date: date, sequence: seq)
    }

    public var description: String {
        "KK-" + String(format: "%04d%02d%02d", date.year, date.month, date.day) + "-" + String(format: "%06d", sequence)
    }
}
