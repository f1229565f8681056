import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKReports

/// The satisfaction report (SKM) for a period, decided by `kk-admin serve`.
struct SatisfactionReportOperation: OfficerOperation {
    static let name = "skm"
    static let allowed: Set<Role> = [.admin, .verifier, .headOfDepartment]
    let from: String
    let to: String

    func perform(_ call: OfficerCall) async throws -> String {
        let period: SLAPeriod
        do { period = try SLAPeriod(from: from, to: to) } catch { throw CLIFailure(error.description) }
        return try await call.transaction(detail: "\(from) s.d. \(to)") { try await SatisfactionReport.load(period, in: $0) }.text
    }
}

/// `kk-admin skm`: the applicants' 1-5 scores of the service over a period.
struct SatisfactionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skm",
        abstract: "Survei Kepuasan Masyarakat: nilai 1-5 dari pemohon selama satu periode, rata-ratanya, dan indeksnya (IKM) beserta mutu pelayanan.",
        discussion: """
            Setiap permohonan yang selesai meminta pemohonnya menilai layanan (1 = sangat tidak puas ... 5 = sangat
            puas); jawaban pertama yang dihitung. Periodenya satu bulan (--month 2026-11) atau rentang hari
            (--from 2026-11-01 --to 2026-11-15, keduanya termasuk), dalam WIB, menurut waktu nilai diberikan; bawaannya
            bulan berjalan. IKM = rata-rata dibagi 5, dikali 100; mutu pelayanan mengikuti PermenPANRB 14/2017
            (A mulai 88.31, B mulai 76.61, C mulai 65.00, D di bawahnya).
            """)

    @OptionGroup var period: ReportPeriodOptions
    @OptionGroup var server: ServerOption

    func run() async throws {
        let period = try self.period.period()
        print(try await server.client(.admin).call(SatisfactionReportOperation(from: period.days.from, to: period.days.to)), terminator: "")
    }
}
