import Foundation
import KKDomain
import Testing

/// Issue 19 item 6: working hours per weekday, holidays and cuti bersama, and
/// the working time the SOP's standards are measured in. Days are found from
/// today's date (a week ahead), never written in.
@Suite("The office calendar: open hours, holidays and working time")
struct OfficeCalendarTests {
    static let wib = TimeZone(secondsFromGMT: 7 * 3600)!

    /// Midnight WIB of the Monday one to two weeks ahead, and a time `days` and `hours`:`minutes` after it.
    static let monday: Date = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = wib
        var day = calendar.startOfDay(for: Date().addingTimeInterval(7 * 86400))
        while calendar.component(.weekday, from: day) != 2 { day = calendar.date(byAdding: .day, value: 1, to: day)! }
        return day
    }()

    static func at(_ days: Int, _ hours: Int, _ minutes: Int = 0) -> Date {
        monday.addingTimeInterval(Double(days * 86400 + hours * 3600 + minutes * 60))
    }

    /// Monday to Thursday 08.00-15.30, Friday 08.00-14.30, and that week's Wednesday a holiday.
    static let office = OfficeCalendar(
        hours: [1: .init("08:00-15:30")!, 2: .init("08:00-15:30")!, 3: .init("08:00-15:30")!, 4: .init("08:00-15:30")!, 5: .init("08:00-14:30")!],
        holidays: [.init(date: CalendarDate(at(2, 12), timeZone: wib), name: "Libur uji", collectiveLeave: true)])

    @Test("open only in the weekday's hours, never on a holiday or at the weekend")
    func openHours() {
        #expect(!Self.office.isOpen(at: Self.at(0, 7, 59)))
        #expect(Self.office.isOpen(at: Self.at(0, 8)))
        #expect(Self.office.isOpen(at: Self.at(0, 15, 29)))
        #expect(!Self.office.isOpen(at: Self.at(0, 15, 30)))
        #expect(!Self.office.isOpen(at: Self.at(2, 10)), "the holiday")
        #expect(Self.office.holiday(on: Self.at(2, 10))?.name == "Libur uji")
        #expect(Self.office.isOpen(at: Self.at(4, 14)) && !Self.office.isOpen(at: Self.at(4, 14, 30)), "Friday closes at 14.30")
        #expect(!Self.office.isOpen(at: Self.at(5, 10)) && !Self.office.isOpen(at: Self.at(6, 10)), "the weekend")
    }

    @Test("the next opening skips nights, weekends and holidays")
    func nextOpening() {
        #expect(Self.office.nextOpening(after: Self.at(0, 6)) == Self.at(0, 8))
        #expect(Self.office.nextOpening(after: Self.at(0, 9)) == Self.at(0, 9), "open now")
        #expect(Self.office.nextOpening(after: Self.at(1, 16)) == Self.at(3, 8), "Tuesday evening, Wednesday a holiday: Thursday")
        #expect(Self.office.nextOpening(after: Self.at(4, 15)) == Self.at(7, 8), "Friday afternoon: Monday")
        #expect(OfficeCalendar.indonesianMoment(Self.at(7, 8)).hasPrefix("Senin, "))
        #expect(OfficeCalendar.indonesianMoment(Self.at(7, 8)).hasSuffix(" pukul 08.00 WIB"))
    }

    @Test("working time counts open hours only: Friday afternoon to Monday morning is 90 minutes, not 67 hours")
    func workingTime() {
        #expect(Self.office.workingSeconds(from: Self.at(4, 14), to: Self.at(7, 9)) == 90 * 60)
        #expect(Self.office.workingSeconds(from: Self.at(0, 9), to: Self.at(0, 9, 7)) == 7 * 60)
        #expect(Self.office.workingSeconds(from: Self.at(1, 15), to: Self.at(3, 8, 30)) == 60 * 60, "30 min Tuesday, the holiday, 30 min Thursday")
        #expect(Self.office.workingSeconds(from: Self.at(5, 0), to: Self.at(6, 23)) == 0, "a weekend")
        #expect(Self.office.workingSeconds(from: Self.at(0, 9), to: Self.at(0, 8)) == 0)
        // A whole week: four days of 7.5 hours less the holiday, and Friday's 6.5 hours.
        #expect(Self.office.workingSeconds(from: Self.at(0, 0), to: Self.at(7, 0)) == (3 * 7.5 + 6.5) * 3600)
        #expect(OfficeCalendar.alwaysOpen.workingSeconds(from: Self.at(4, 14), to: Self.at(7, 9)) == Self.at(7, 9).timeIntervalSince(Self.at(4, 14)))
    }

    @Test("the hours as the applicant reads them")
    func description() {
        #expect(Self.office.hoursDescription == "Senin-Kamis 08.00-15.30, Jumat 08.00-14.30 WIB")
        #expect(OfficeCalendar.sample.hoursDescription == "Senin-Kamis 08.00-15.30, Jumat 08.00-14.30 WIB")
        #expect(OfficeCalendar.sample.holidays.contains { $0.collectiveLeave } && OfficeCalendar.sample.holidays.contains { !$0.collectiveLeave })
    }

    @Test("the configuration file: read back as written; a wrong weekday, malformed hours or no open day refused with the reason")
    func file() throws {
        let data = try JSONEncoder().encode(Self.office)
        #expect(try JSONDecoder().decode(OfficeCalendar.self, from: data) == Self.office)
        let written =
            #"{"hours": {"Monday": "07:30-16:00", "saturday": "08:00-12:00"}, "holidays": [{"date": "\#(CalendarDate(Self.at(0, 10)))", "name": "Hari jadi kabupaten"}]}"#
        let parsed = try JSONDecoder().decode(OfficeCalendar.self, from: Data(written.utf8))
        #expect(parsed.hoursDescription == "Senin 07.30-16.00, Sabtu 08.00-12.00 WIB")
        #expect(parsed.holiday(on: Self.at(0, 10))?.collectiveLeave == false)
        for (bad, reason) in [
            (#"{"hours": {"senin": "08:00-15:30"}}"#, "is not a weekday"),
            (#"{"hours": {"monday": "8-15"}}"#, "must look like"),
            (#"{"hours": {"monday": "15:00-08:00"}}"#, "must look like"),
            (#"{"hours": {}}"#, "at least one weekday"),
        ] {
            #expect {
                try JSONDecoder().decode(OfficeCalendar.self, from: Data(bad.utf8))
            } throws: { error in
                guard case let DecodingError.dataCorrupted(context) = error else { return false }
                return context.debugDescription.contains(reason)
            }
        }
    }
}
