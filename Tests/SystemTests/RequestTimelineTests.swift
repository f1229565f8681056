import Foundation
import KKDomain
import KKReports
import KKStore
import KKTesting
import Postgres
import Testing

@Suite("A request's timeline against the SOP's time standards")
struct RequestTimelineTests {
    @Test("each step's time since the previous one, its standard, and the breaches; `kk-admin request show` prints it")
    func timeline() async throws {
        let url = try await TestStack.freshDatabase()
        let pool = try await PostgresPool.connect(url: url, size: 2, logger: TestStack.logger)
        let start = Date().addingTimeInterval(-2 * 86400)  // two days ago: every step lies in the past
        let officer = Actor(role: .serviceOfficer, id: "siti")
        let verifier = Actor(role: .verifier, id: "bambang")
        let (id, number) = try await pool.withTransaction { tx in
            let (record, _) = try await RequestStore.create(
                reason: .dataChange, applicantPhone: "6281234567899", actor: Actor(role: .applicant, id: "wa-uji"), at: start, in: tx)
            return (record.id, record.number)
        }
        // (action, actor, seconds after the previous step)
        let steps: [(RequestAction, Actor, TimeInterval)] = [
            (.submit, Actor(role: .system, id: "kk-intake"), 120), (.open, officer, 30), (.enter, officer, 7 * 60),
            (.submitPrintRequest, officer, 45), (.rejectInvalid, verifier, 90), (.resubmit, Actor(role: .applicant, id: "wa-uji"), 3600),
            (.open, officer, 200),
        ]
        var time = start
        for (action, actor, after) in steps {
            time = time.addingTimeInterval(after)
            try await pool.withTransaction { tx in _ = try await RequestStore.transition(id, action: action, by: actor, at: time, in: tx) }
        }
        let timeline = try await pool.withTransaction { RequestTimeline(events: try await RequestStore.events(of: id, in: $0), calendar: .alwaysOpen) }
        #expect(timeline.entries.map(\.elapsed) == steps.map(\.2))
        #expect(timeline.entries.map(\.standard) == [180, 60, 300, 60, 120, nil, 60])
        #expect(timeline.entries.map(\.breached) == [false, false, true, false, false, false, true])
        #expect(timeline.breaches == 2)
        await pool.close()

        let admin = try await AdminService.start(databaseURL: url)
        defer { admin.stop() }
        let shown = try admin.run(["request", "show", number])
        #expect(shown.status == 0, "\(shown.output)")
        let lines = shown.output.split(separator: "\n")
        #expect(
            lines.contains { $0.hasPrefix("SOP 3") && $0.contains("mengentri data") && $0.contains("7 mnt") && $0.contains("LEWAT STANDAR") }, "\(shown.output)"
        )
        #expect(lines.contains { $0.hasPrefix("SOP 5-6") && $0.contains("Belum Valid") && $0.contains("dalam standar") }, "\(shown.output)")
        #expect(lines.contains { $0.contains("mengajukan ulang") && $0.contains("(waktu pemohon)") }, "\(shown.output)")
        #expect(shown.output.contains("2 langkah lewat standar"))
        let missing = try admin.run(["request", "show", "KK-20990101-000001"])
        #expect(missing.status != 0 && missing.output.contains("tidak ditemukan"), "\(missing.output)")
    }

    @Test("the SOP clock is working time: submitted on Friday evening, opened on Monday at 08.00, SOP 2 is within its minute; a holiday does not count either")
    func workingTime() async throws {
        let url = try await TestStack.freshDatabase()
        let pool = try await PostgresPool.connect(url: url, size: 2, logger: TestStack.logger)
        defer { Task { await pool.close() } }
        // Last week's Friday, midnight WIB (found from today, never written in).
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        var lastFriday = gregorian.startOfDay(for: Date().addingTimeInterval(-7 * 86400))
        while gregorian.component(.weekday, from: lastFriday) != 6 { lastFriday = lastFriday.addingTimeInterval(-86400) }
        let friday = lastFriday
        func at(_ days: Int, _ hours: Int, _ minutes: Int = 0, _ seconds: Int = 0) -> Date {
            friday.addingTimeInterval(Double(days * 86400 + hours * 3600 + minutes * 60 + seconds))
        }
        let hours = OfficeCalendar.Hours("08:00-15:30")!
        let office = OfficeCalendar(
            hours: [1: hours, 2: hours, 3: hours, 4: hours, 5: OfficeCalendar.Hours("08:00-14:30")!],
            holidays: [
                .init(date: CalendarDate(at(4, 12), timeZone: gregorian.timeZone), name: "Libur uji")
            ])
        let applicant = Actor(role: .applicant, id: "wa-uji")
        let officer = Actor(role: .serviceOfficer, id: "siti")
        let created = at(0, 16)
        let id = try await pool.withTransaction { tx in
            let (record, _) = try await RequestStore.create(reason: .damaged, applicantPhone: "6281234567898", actor: applicant, at: created, in: tx)
            return record.id
        }
        // Friday 16.02 (closed) -> Monday 08.00.30; Monday 15.29 -> Wednesday 08.01 with Tuesday a holiday.
        for (action, actor, time) in [
            (RequestAction.submit, applicant, at(0, 16, 2)), (.open, officer, at(3, 8, 0, 30)), (.enter, officer, at(3, 15, 29)),
            (.submitPrintRequest, officer, at(5, 8, 1)),
        ] {
            try await pool.withTransaction { tx in _ = try await RequestStore.transition(id, action: action, by: actor, at: time, in: tx) }
        }
        let events = try await pool.withTransaction { try await RequestStore.events(of: id, in: $0) }
        let timeline = RequestTimeline(events: events, calendar: office)
        let working: [TimeInterval] = [0, 30, 7 * 3600 + 28 * 60 + 30, 120]
        #expect(timeline.entries.map(\.elapsed) == working)
        let stamps: [Date] = [at(0, 16), at(0, 16, 2), at(3, 8, 0, 30), at(3, 15, 29), at(5, 8, 1)]
        let wall: [TimeInterval] = (1..<stamps.count).map { stamps[$0].timeIntervalSince(stamps[$0 - 1]) }
        #expect(timeline.entries.map(\.wallClock) == wall)
        #expect(
            timeline.entries.map(\.breached) == [false, false, true, true],
            "SOP 2 within its minute; the entry took a working day; SOP 4 took 2 working minutes")
        let wallClock = RequestTimeline(events: events, calendar: .alwaysOpen)
        #expect(wallClock.entries.map(\.breached) == [false, true, true, true], "on the wall clock the weekend breaches SOP 2")

        // Waiting and work apart: siti first opened it (an audited `show`) at 08.00.10 on Monday, and took up the entry at 14.00.
        let touches = [
            OfficerTouch(requestID: id, username: "siti", at: at(3, 8, 0, 10)), OfficerTouch(requestID: id, username: "bambang", at: at(3, 9)),
            OfficerTouch(requestID: id, username: "siti", at: at(3, 14)), OfficerTouch(requestID: id, username: "siti", at: at(3, 15)),
        ]
        let split = RequestTimeline(events: events, touches: touches, calendar: office)
        #expect(split.entries.map(\.waiting) == [nil, 10, 6 * 3600 - 30, nil], "the applicant's step has none; another officer's touch does not count")
        #expect(split.entries[1].work == 20 && split.entries[2].work == 89 * 60)
        #expect(split.lines().contains { $0.contains("mengentri data") && $0.contains("(menunggu 5 jam 59 mnt, dikerjakan 1 jam 29 mnt)") }, "\(split.lines())")
        let statistics = SLAReport(
            period: try SLAPeriod(from: CalendarDate(at(0, 12)).description, to: CalendarDate(at(7, 12)).description),
            requests: [SLARequest(number: "uji", kecamatan: .init(kkNumber: nil), events: events, touches: touches)], calendar: office)
        let entry = try #require(statistics.steps.first { $0.label == "SOP 3" })
        #expect(entry.statistics.splitCount == 1 && entry.statistics.medianWaiting == 6 * 3600 - 30 && entry.statistics.medianWork == 89 * 60)
        #expect(SLAReportText.table(statistics).contains("5 jam 59 mnt / 1 jam 29 mnt (1 langkah)"), "\(SLAReportText.table(statistics))")
    }
}
