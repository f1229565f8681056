import ArgumentParser
import Foundation
import KKOfficerCLI
import KKReports

/// `--month`, or `--from` with `--to`, of the period reports (`sla`, `skm`); the current month by default.
struct ReportPeriodOptions: ParsableArguments {
    @Option(help: "Satu bulan, YYYY-MM.") var month: String?
    @Option(help: "Hari pertama, YYYY-MM-DD (dengan --to).") var from: String?
    @Option(help: "Hari terakhir, YYYY-MM-DD, ikut dihitung (dengan --from).") var to: String?

    func validate() throws {
        if month != nil && (from != nil || to != nil) { throw ValidationError("Pilih --month atau --from/--to, tidak keduanya.") }
        if (from == nil) != (to == nil) { throw ValidationError("--from dan --to dipakai bersama, misalnya --from 2026-11-01 --to 2026-11-15.") }
    }

    /// The period asked for, in Western Indonesian Time.
    func period() throws -> SLAPeriod {
        do {
            if let month { return try SLAPeriod(month: month) }
            if let from, let to { return try SLAPeriod(from: from, to: to) }
            return SLAPeriod.month(containing: Date())
        } catch { throw CLIFailure(error.description) }
    }
}
