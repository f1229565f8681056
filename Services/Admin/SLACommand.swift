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
        abstract: "Laporkan untuk satu periode, per langkah SOP, per petugas dan per kecamatan: jumlah, median, persentil ke-90 dan yang lewat standar waktu.",
        discussion: """
            Periodenya satu bulan (--month 2026-11) atau rentang hari (--from 2026-11-01 --to 2026-11-15, keduanya
            termasuk), dalam WIB; bawaannya bulan berjalan. Suatu langkah dihitung dalam periode bila selesai di
            dalamnya; lamanya adalah waktu sejak peristiwa sebelumnya pada permohonan itu. Persentil dihitung dengan
            peringkat terdekat (nearest-rank). --chart menulis grafik PNG untuk Kepala Dinas.
            """)

    @OptionGroup var period: ReportPeriodOptions
    @Option(help: "table (bawaan) atau csv.") var format: Format = .table
    @Option(help: "Simpan juga laporan sebagai grafik PNG ke berkas ini.") var chart: String?

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
