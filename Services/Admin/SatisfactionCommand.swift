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
        abstract: "Survei Kepuasan Masyarakat: the applicants' 1-5 scores over a period, their average and the index (IKM) with its grade.",
        discussion: """
            Every closed request asks its applicant for a score of the service (1 = sangat tidak puas ... 5 = sangat
            puas); the first answer counts. The period is a month (--month 2026-11) or days (--from 2026-11-01
            --to 2026-11-15, both included), in Western Indonesian Time, by when the score was given; by default the
            current month. IKM = the average over 5, times 100; the grade follows PermenPANRB 14/2017
            (A from 88.31, B from 76.61, C from 65.00, D below).
            """)

    @OptionGroup var period: ReportPeriodOptions
    @OptionGroup var server: ServerOption

    func run() async throws {
        let period = try self.period.period()
        print(try await server.client(.admin).call(SatisfactionReportOperation(from: period.days.from, to: period.days.to)), terminator: "")
    }
}
