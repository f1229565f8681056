import Foundation
import KKDomain
import KKStore
import KKTesting
import Postgres
import Testing

/// `kk-admin sla` on a generated month of requests: every figure of the
/// report is recomputed here from the durations the generator chose, with
/// the definitions the report documents (a step counts in the month it was
/// completed, in WIB; nearest-rank percentiles; over the standard = breach).
@Suite("kk-admin sla: the month's report against numbers computed independently")
struct SLAReportTests {
    /// One measured step as the generator made it.
    struct Step {
        let label: String
        let officer: String?
        let kecamatan: String
        let elapsed: Int
        let standard: Int
        let at: Date
    }

    struct Expected {
        let count: Int
        let median: Int
        let p90: Int
        let breaches: Int

        init(_ steps: [Step]) {
            let sorted = steps.map(\.elapsed).sorted()
            count = sorted.count
            // Nearest rank: the value at position ceil(p * n), counting from 1.
            func rank(_ p: Double) -> Int { sorted[Int((p * Double(sorted.count)).rounded(.up)) - 1] }
            median = rank(0.5)
            p90 = rank(0.9)
            breaches = steps.filter { $0.elapsed > $0.standard }.count
        }
    }

    /// A small deterministic generator (SplitMix64), so a failure can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The calendar month before today's in WIB (the office's clock), so the
    /// generated steps always lie in the past, whatever day the test runs:
    /// its bounds, `--month` and `--from`/`--to` texts.
    struct LastMonth {
        let start: Date
        let end: Date
        let month: String
        let firstDay: String
        let lastDay: String

        init(today: Date = Date()) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Jakarta")!
            let thisMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: today))!
            start = calendar.date(byAdding: .month, value: -1, to: thisMonth)!
            end = thisMonth
            let c = calendar.dateComponents([.year, .month], from: start)
            let days = calendar.range(of: .day, in: .month, for: start)!.count
            month = String(format: "%04d-%02d", c.year!, c.month!)
            firstDay = month + "-01"
            lastDay = month + String(format: "-%02d", days)
        }
    }

    @Test("a generated month: per step, per officer and per kecamatan, count, median, P90 and breaches match; steps outside the month are left out")
    func generatedMonth() async throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("SLA report test seed: \(seed)")
        var random = Generator(state: seed)
        let url = try await TestStack.freshDatabase()
        let pool = try await PostgresPool.connect(url: url, size: 1, logger: TestStack.logger)
        let period = LastMonth()
        let monthStart = period.start
        let monthEnd = period.end
        let services = ["siti", "agus"]
        let verifiers = ["bambang", "dewi"]
        let heads = ["wahyuni"]
        let printers = ["rina"]
        var steps: [Step] = []
        var requestsInMonth = Set<Int>()

        for index in 0..<160 {
            let reason = RequestReason.allCases[Int(random.next() % 3)]
            let place = Region.bantulKecamatan[Int(random.next() % UInt64(Region.bantulKecamatan.count))]
            let kk = place.code + String(format: "%010llu", random.next() % 10_000_000_000)
            // From three days before the month to its last hour, so steps cross both ends.
            var now = monthStart.addingTimeInterval(-3 * 86400 + Double(random.next() % UInt64(34 * 86400)))
            let phone = "62812\(String(format: "%08d", index))"
            let applicant = Actor(role: .applicant, id: RequestStore.applicantRef(for: phone))
            let stopAfter = Int(random.next() % 12)  // some requests are still in flight
            let officer = services[Int(random.next() % 2)]
            var plan: [(RequestAction, Actor)] = [(.submit, applicant), (.open, Actor(role: .serviceOfficer, id: officer))]
            if random.next() % 5 == 0 {
                plan += [
                    (.returnIncomplete, Actor(role: .serviceOfficer, id: officer)), (.resubmit, applicant), (.open, Actor(role: .serviceOfficer, id: officer)),
                ]
            }
            if reason.hasDataEntry { plan.append((.enter, Actor(role: .serviceOfficer, id: officer))) }
            plan += [
                (.submitPrintRequest, Actor(role: .serviceOfficer, id: officer)),
                (.verify, Actor(role: .verifier, id: verifiers[Int(random.next() % 2)])),
                (.sign, Actor(role: .headOfDepartment, id: heads[0])),
                (.deliver, random.next() % 2 == 0 ? Actor(role: .system, id: "kk-deliver") : Actor(role: .printOfficer, id: printers[0])),
                (.archive, Actor(role: .system, id: "kk-archive")),
            ]
            let id = try await pool.withTransaction { tx in
                try await RequestStore.create(reason: reason, applicantPhone: phone, kkNumber: kk, actor: applicant, at: now, in: tx).0.id
            }
            for (position, (action, actor)) in plan.enumerated() where position <= stopAfter {
                let steps_ = action == .verify ? [SOPStep.s5, .s6] : action == .deliver ? [.s8, .s9] : [action.completesStep!]
                let standard = steps_.reduce(0) { $0 + Int($1.timeStandard.components.seconds) }
                // Mostly within the standard, sometimes well over it; the applicant's own time after a return is hours.
                let elapsed = action == .resubmit ? 3600 + Int(random.next() % 20_000) : 5 + Int(random.next() % UInt64(standard * 2))
                now = now.addingTimeInterval(Double(elapsed))
                try await pool.withTransaction { tx in _ = try await RequestStore.transition(id, action: action, by: actor, at: now, in: tx) }
                guard action != .resubmit, now >= monthStart, now < monthEnd else { continue }
                requestsInMonth.insert(index)
                steps.append(
                    Step(
                        label: "SOP " + (steps_.count > 1 ? "\(steps_[0].rawValue)-\(steps_.last!.rawValue)" : "\(steps_[0].rawValue)"),
                        officer: Officer.officerRoles.contains(actor.role) ? actor.id : nil,
                        kecamatan: place.name, elapsed: elapsed, standard: standard, at: now))
            }
        }
        await pool.close()
        #expect(steps.count > 500, "the generator made a month worth reporting")

        let admin = try await AdminService.start(databaseURL: url)
        defer { admin.stop() }
        let csv = try admin.run(["sla", "--month", period.month, "--format", "csv"])
        #expect(csv.status == 0, "\(csv.output)")
        let rows = Self.parse(csv: csv.output)
        #expect(
            rows.first == [
                "bagian", "label", "keterangan", "jumlah", "median_detik", "p90_detik", "standar_detik", "lewat_standar", "median_menunggu_detik",
                "median_dikerjakan_detik",
            ])
        func check(_ section: String, _ groups: [String: [Step]]) {
            let reported = rows.filter { $0.first == section }
            #expect(Set(reported.map { $0[1] }) == Set(groups.keys), "\(section): \(reported.map { $0[1] }) vs \(groups.keys.sorted())")
            for row in reported {
                guard let group = groups[row[1]] else { continue }
                let expected = Expected(group)
                #expect(
                    [row[3], row[4], row[5], row[7]] == ["\(expected.count)", "\(expected.median)", "\(expected.p90)", "\(expected.breaches)"],
                    "\(section) \(row[1]): reported \(row), expected \(expected)")
            }
        }
        check("langkah", Dictionary(grouping: steps, by: \.label))
        check("petugas", Dictionary(grouping: steps.filter { $0.officer != nil }, by: { $0.officer! }))
        check("kecamatan", Dictionary(grouping: steps, by: \.kecamatan))
        #expect(rows.first { $0[0] == "langkah" && $0[1] == "SOP 3" }?[6] == "300", "the standard of step 3 is 5 minutes")

        // The table says the same totals; the chart is a real PNG.
        let chart = FileManager.default.temporaryDirectory.appendingPathComponent("sla-\(UUID().uuidString.prefix(6)).png")
        let table = try admin.run(["sla", "--from", period.firstDay, "--to", period.lastDay, "--chart", chart.path])
        #expect(table.status == 0, "\(table.output)")
        let breaches = steps.filter { $0.elapsed > $0.standard }.count
        #expect(table.output.contains("\(requestsInMonth.count) permohonan; \(steps.count) langkah selesai; \(breaches) lewat standar"), "\(table.output)")
        let png = try [UInt8](Data(contentsOf: chart))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(png.count > 10_000)

        // A period with nothing in it, and a period that is not one.
        let empty = try admin.run(["sla", "--month", "2025-01"])
        #expect(empty.status == 0 && empty.output.contains("Tidak ada langkah yang selesai"), "\(empty.output)")
        let invalid = try admin.run(["sla", "--from", period.lastDay, "--to", period.firstDay])
        #expect(invalid.status != 0 && invalid.output.contains("tanggal akhir harus sama dengan atau setelah tanggal awal"), "\(invalid.output)")
        let badMonth = try admin.run(["sla", "--month", "2026-13"])
        #expect(badMonth.status != 0 && badMonth.output.contains("TTTT-BB"), "\(badMonth.output)")
    }

    /// RFC 4180 fields: commas and quotes inside quoted fields.
    static func parse(csv: String) -> [[String]] {
        var rows: [[String]] = []
        var field = ""
        var row: [String] = []
        var quoted = false
        /// A character outside quotes: a separator ends the field or the row.
        func unquoted(_ c: Character) {
            switch c {
            case "\"": quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\n":
                row.append(field)
                rows.append(row)
                (row, field) = ([], "")
            default: field.append(c)
            }
        }
        var characters = csv.makeIterator()
        while let c = characters.next() {
            guard quoted else {
                unquoted(c)
                continue
            }
            guard c == "\"" else {
                field.append(c)
                continue
            }
            // A quote inside quotes: doubled it is one quote, otherwise the field's end.
            guard let n = characters.next() else {
                quoted = false
                continue
            }
            if n == "\"" {
                field.append("\"")
            } else {
                quoted = false
                if n == "," || n == "\n" { unquoted(n) }
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
