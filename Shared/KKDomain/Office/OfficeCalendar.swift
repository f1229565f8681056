import Foundation

/// When the office serves: opening hours per weekday and the year's holidays
/// (libur nasional and cuti bersama), in WIB. SOP time standards count
/// working time only ("jam kerja"), so a request sent on Friday evening is not
/// late on Monday morning; and an applicant who writes outside the hours is
/// told when the office resumes. Loaded from a JSON file an office keeps up to
/// date (`OfficeCalendar.sample` shows the shape).
public struct OfficeCalendar: Codable, Sendable, Equatable {
    /// One day's opening, minutes after midnight WIB, `opens` < `closes`.
    public struct Hours: Sendable, Equatable {
        public let opens: Int
        public let closes: Int

        /// "08:00-15:30".
        public init?(_ text: String) {
            let parts = text.split(separator: "-").map { $0.split(separator: ":") }
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }),
                let oh = Int(parts[0][0]), let om = Int(parts[0][1]), let ch = Int(parts[1][0]), let cm = Int(parts[1][1]),
                (0...23).contains(oh), (0...59).contains(om), (0...24).contains(ch), (0...59).contains(cm),
                oh * 60 + om < ch * 60 + cm, ch * 60 + cm <= 24 * 60
            else { return nil }
            opens = oh * 60 + om
            closes = ch * 60 + cm
        }

        /// "08.00-15.30", as Indonesian notices write times.
        public var indonesian: String {
            String(format: "%02d.%02d-%02d.%02d", opens / 60, opens % 60, closes / 60, closes % 60)
        }
    }

    public struct Holiday: Codable, Sendable, Equatable {
        public let date: CalendarDate
        public let name: String
        /// A national holiday or a collective leave day (cuti bersama).
        public let collectiveLeave: Bool

        public init(date: CalendarDate, name: String, collectiveLeave: Bool = false) {
            self.date = date
            self.name = name
            self.collectiveLeave = collectiveLeave
        }

        enum CodingKeys: String, CodingKey {
            case date, name
            case collectiveLeave = "cuti_bersama"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            date = try c.decode(CalendarDate.self, forKey: .date)
            name = try c.decode(String.self, forKey: .name)
            collectiveLeave = try c.decodeIfPresent(Bool.self, forKey: .collectiveLeave) ?? false
        }
    }

    /// ISO weekday (1 = Monday ... 7 = Sunday) to its hours; a missing day is closed.
    public let hours: [Int: Hours]
    public let holidays: [Holiday]

    public init(hours: [Int: Hours], holidays: [Holiday]) {
        self.hours = hours
        self.holidays = holidays
        holidayByDate = Dictionary(holidays.map { ($0.date, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private let holidayByDate: [CalendarDate: Holiday]

    static let weekdayKeys = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    public static let indonesianWeekdays = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    static let wib = TimeZone(secondsFromGMT: 7 * 3600)!

    enum CodingKeys: String, CodingKey { case hours, holidays }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let texts = try c.decode([String: String].self, forKey: .hours)
        var hours: [Int: Hours] = [:]
        for (key, text) in texts {
            guard let day = Self.weekdayKeys.firstIndex(of: key.lowercased()) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .hours, in: c, debugDescription: "'\(key)' is not a weekday; use \(Self.weekdayKeys.joined(separator: ", "))")
            }
            guard let parsed = Hours(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .hours, in: c, debugDescription: "hours of \(key) must look like \"08:00-15:30\", not \"\(text)\"")
            }
            hours[day + 1] = parsed
        }
        guard !hours.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .hours, in: c, debugDescription: "the office must open on at least one weekday")
        }
        self.init(hours: hours, holidays: try c.decodeIfPresent([Holiday].self, forKey: .holidays) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let texts = Dictionary(
            uniqueKeysWithValues: hours.map { day, h in
                (Self.weekdayKeys[day - 1], String(format: "%02d:%02d-%02d:%02d", h.opens / 60, h.opens % 60, h.closes / 60, h.closes % 60))
            })
        try c.encode(texts, forKey: .hours)
        try c.encode(holidays, forKey: .holidays)
    }

    public static func == (lhs: OfficeCalendar, rhs: OfficeCalendar) -> Bool {
        lhs.hours == rhs.hours && lhs.holidays == rhs.holidays
    }

    // MARK: questions

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = wib
        return calendar
    }

    /// The holiday on `date`'s WIB day, if it is one.
    public func holiday(on date: Date) -> Holiday? { holidayByDate[CalendarDate(date, timeZone: Self.wib)] }

    /// The office's open interval on the WIB day that contains `date`, if it opens that day.
    func openInterval(onDayOf date: Date) -> (start: Date, end: Date)? {
        let calendar = Self.calendar
        let midnight = calendar.startOfDay(for: date)
        let weekday = (calendar.component(.weekday, from: midnight) + 5) % 7 + 1  // Foundation: 1 = Sunday
        guard let h = hours[weekday], holidayByDate[CalendarDate(midnight, timeZone: Self.wib)] == nil else { return nil }
        return (midnight.addingTimeInterval(Double(h.opens * 60)), midnight.addingTimeInterval(Double(h.closes * 60)))
    }

    public func isOpen(at date: Date) -> Bool {
        guard let open = openInterval(onDayOf: date) else { return false }
        return date >= open.start && date < open.end
    }

    /// When the office next opens at or after `date` (nil if it never opens in the next 400 days).
    public func nextOpening(after date: Date) -> Date? {
        var day = date
        for _ in 0..<400 {
            if let open = openInterval(onDayOf: day) {
                if date < open.start { return open.start }
                if date < open.end { return date }
            }
            day = Self.calendar.startOfDay(for: day).addingTimeInterval(36 * 3600)
        }
        return nil
    }

    /// The office's working time between two instants: only its open hours count.
    public func workingSeconds(from start: Date, to end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        var total: TimeInterval = 0
        var day = start
        while day < end {
            if let open = openInterval(onDayOf: day) {
                let from = max(open.start, start)
                let to = min(open.end, end)
                if to > from { total += to.timeIntervalSince(from) }
            }
            day = Self.calendar.startOfDay(for: day).addingTimeInterval(36 * 3600)
            day = Self.calendar.startOfDay(for: day)
        }
        return total
    }

    /// "Senin-Kamis 08.00-15.30, Jumat 08.00-14.30 WIB": consecutive days with the same hours grouped.
    public var hoursDescription: String {
        var groups: [(first: Int, last: Int, hours: Hours)] = []
        for day in 1...7 {
            guard let h = hours[day] else { continue }
            if let last = groups.last, last.last == day - 1, last.hours == h {
                groups[groups.count - 1].last = day
            } else {
                groups.append((day, day, h))
            }
        }
        let parts = groups.map { g in
            let days =
                g.first == g.last
                ? Self.indonesianWeekdays[g.first - 1] : "\(Self.indonesianWeekdays[g.first - 1])-\(Self.indonesianWeekdays[g.last - 1])"
            return "\(days) \(g.hours.indonesian)"
        }
        return parts.joined(separator: ", ") + " WIB"
    }

    /// "Senin, 07-12-2026 pukul 08.00 WIB".
    public static func indonesianMoment(_ date: Date) -> String {
        let c = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute], from: date)
        let weekday = indonesianWeekdays[((c.weekday ?? 2) + 5) % 7]
        return String(format: "%@, %02d-%02d-%04d pukul %02d.%02d WIB", weekday, c.day ?? 0, c.month ?? 0, c.year ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}
