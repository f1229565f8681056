import Foundation
import KKDomain

/// The days a report covers, in Western Indonesian Time: from the start of
/// `first` to the end of `last`.
public struct SLAPeriod: Sendable, Equatable {
    public let first: DateComponents
    public let last: DateComponents
    public let start: Date
    public let end: Date

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = WIBTime.zone
        return calendar
    }

    /// "2026-11-01" to "2026-11-30", both days included.
    public init(from: String, to: String) throws(SLAPeriodError) {
        let first = try Self.day(from)
        let last = try Self.day(to)
        guard let start = Self.calendar.date(from: first), let lastStart = Self.calendar.date(from: last),
            let end = Self.calendar.date(byAdding: .day, value: 1, to: lastStart)
        else { throw .invalidDay(from) }
        guard start < end else { throw .emptyPeriod(from: from, to: to) }
        self.first = first
        self.last = last
        self.start = start
        self.end = end
    }

    /// A calendar month, "2026-11".
    public init(month: String) throws(SLAPeriodError) {
        let parts = month.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let number = Int(parts[1]), (1...12).contains(number), year > 1900,
            let start = Self.calendar.date(from: DateComponents(year: year, month: number, day: 1)),
            let next = Self.calendar.date(byAdding: .month, value: 1, to: start),
            let lastDay = Self.calendar.date(byAdding: .day, value: -1, to: next)
        else { throw .invalidMonth(month) }
        try self.init(from: Self.text(start), to: Self.text(lastDay))
    }

    /// The month that contains `date` (WIB).
    public static func month(containing date: Date) -> SLAPeriod {
        let c = calendar.dateComponents([.year, .month], from: date)
        return try! SLAPeriod(month: String(format: "%04d-%02d", c.year!, c.month!))
    }

    public var description: String { "\(Self.text(start)) s.d. \(Self.text(end.addingTimeInterval(-1)))" }

    /// The first and last day, as `init(from:to:)` reads them.
    public var days: (from: String, to: String) {
        (Self.text(start), Self.text(Self.calendar.date(byAdding: .day, value: -1, to: end) ?? start))
    }

    static func text(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static func day(_ text: String) throws(SLAPeriodError) -> DateComponents {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            let date = calendar.date(from: DateComponents(year: y, month: m, day: d)),
            calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: y, month: m, day: d)
        else { throw .invalidDay(text) }
        return DateComponents(year: y, month: m, day: d)
    }
}

public enum SLAPeriodError: Error, CustomStringConvertible, Equatable {
    case invalidDay(String)
    case invalidMonth(String)
    case emptyPeriod(from: String, to: String)

    public var description: String {
        switch self {
        case let .invalidDay(text): "Tanggal '\(text)' tidak valid; tulis sebagai TTTT-BB-HH, misalnya 2026-11-01."
        case let .invalidMonth(text): "Bulan '\(text)' tidak valid; tulis sebagai TTTT-BB, misalnya 2026-11."
        case let .emptyPeriod(from, to): "Periode \(from) s.d. \(to) kosong: tanggal akhir harus sama dengan atau setelah tanggal awal."
        }
    }
}
