import ArgumentParser
import Foundation
import KKReports
import KKRuntime
import Postgres

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

    @Option(help: "A month, YYYY-MM.") var month: String?
    @Option(help: "First day, YYYY-MM-DD (with --to).") var from: String?
    @Option(help: "Last day, YYYY-MM-DD, included (with --from).") var to: String?
    @Option(help: "table (default) or csv.") var format: Format = .table
    @Option(help: "Also draw the report as a PNG chart at this path.") var chart: String?

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv }

    func validate() throws {
        if month != nil && (from != nil || to != nil) { throw ValidationError("Pilih --month atau --from/--to, tidak keduanya.") }
        if (from == nil) != (to == nil) { throw ValidationError("--from dan --to dipakai bersama, misalnya --from 2026-11-01 --to 2026-11-15.") }
    }

    func run() async throws {
        let period: SLAPeriod
        do {
            if let month { period = try SLAPeriod(month: month) }
            else if let from, let to { period = try SLAPeriod(from: from, to: to) }
            else { period = SLAPeriod.month(containing: Date()) }
        } catch { throw CLIFailure(error.description) }
        let env = try CLIEnvironment.load(needsKafka: false)
        let pool = try await PostgresPool.connect(url: env.databaseURL, size: 1, logger: CLILogger.make("kk-admin"))
        let report: SLAReport
        do {
            report = try await pool.withTransaction { try await SLAReportQuery.load(period, in: $0) }
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
        print(format == .csv ? SLAReportText.csv(report) : SLAReportText.table(report), terminator: "")
        if let chart {
            do {
                try Data(try SLAChart.png(report)).write(to: URL(fileURLWithPath: chart))
            } catch let error as SLAChartError {
                throw CLIFailure(error.description)
            } catch {
                throw CLIFailure("Grafik tidak dapat ditulis ke \(chart): \(error.localizedDescription). Periksa foldernya.")
            }
            FileHandle.standardError.write(Data("Grafik SLA ditulis ke \(chart).\n".utf8))
        }
    }
}
