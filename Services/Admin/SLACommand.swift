import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKReports
import Postgres

/// The report for a period, as text and (when asked) a PNG chart.
struct SLAReportOperation: OfficerOperation {
    static let name = "sla"
    static let allowed: Set<Role> = [.admin, .verifier, .headOfDepartment]
    let from: String
    let to: String
    let format: SLACommand.Format
    let chart: Bool

    struct Output: Codable, Sendable {
        let text: String
        let png: Data?
    }

    func perform(_ call: OfficerCall) async throws -> Output {
        let period: SLAPeriod
        do { period = try SLAPeriod(from: from, to: to) } catch { throw CLIFailure(error.description) }
        let report = try await call.transaction(detail: "\(from) s.d. \(to)") { try await SLAReportQuery.load(period, in: $0) }
        var png: Data?
        if chart {
            do { png = Data(try SLAChart.png(report)) } catch { throw CLIFailure("\(error)") }
        }
        return Output(text: format == .csv ? SLAReportText.csv(report) : SLAReportText.table(report), png: png)
    }
}

/// `kk-admin sla`: the office against the SOP's time standards over a period.
struct SLACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Report, for a period, per SOP step, per officer and per kecamatan: count, median, 90th percentile and breaches of the time standard.",
        discussion: """
            The period is a month (--month 2026-11) or days (--from 2026-11-01 --to 2026-11-15, both included),
            in Western Indonesian Time; by default the current month. A step counts in the period when it was
            completed in it; its duration is the time since the request's previous event. Percentiles are
            nearest-rank. --chart writes a PNG for the head of department.
            """)

    @OptionGroup var period: ReportPeriodOptions
    @Option(help: "table (default) or csv.") var format: Format = .table
    @Option(help: "Also draw the report as a PNG chart at this path.") var chart: String?

    @OptionGroup var server: ServerOption

    enum Format: String, ExpressibleByArgument, CaseIterable, Codable, Sendable { case table, csv }

    func run() async throws {
        let period = try self.period.period()
        let report = try await server.client(.admin).call(SLAReportOperation(from: period.days.from, to: period.days.to, format: format, chart: chart != nil))
        print(report.text, terminator: "")
        if let chart {
            do {
                try (report.png ?? Data()).write(to: URL(fileURLWithPath: chart))
            } catch {
                throw CLIFailure("Grafik tidak dapat ditulis ke \(chart): \(error.localizedDescription). Periksa foldernya.")
            }
            FileHandle.standardError.write(Data("Grafik SLA ditulis ke \(chart).\n".utf8))
        }
    }
}
