import ArgumentParser
import Foundation
import KKConfiguration
import KKDomain
import KKOfficerCLI

/// `kk-admin office-calendar`: the operator's check of the office calendar a
/// service would read (`KK_OFFICE_CALENDAR_FILE`, or the built-in sample), and
/// the sample as a file to start the office's own from. Reads no database.
struct OfficeCalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "office-calendar",
        abstract: "Tampilkan jam layanan dan hari libur kantor seperti dibaca layanan (KK_OFFICE_CALENDAR_FILE atau contoh bawaan).",
        discussion: """
            Dengan --file, berkas itu yang diperiksa. --sample mencetak contoh bawaan sebagai JSON, sebagai awal berkas
            kalender kantor sendiri: kk-admin office-calendar --sample > kalender-kerja.json
            """)

    @Option(help: "Berkas kalender yang diperiksa sebagai ganti KK_OFFICE_CALENDAR_FILE.") var file: String?
    @Flag(help: "Cetak contoh bawaan sebagai JSON.") var sample = false

    func run() throws {
        if sample {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(OfficeCalendar.sample), as: UTF8.self))
            return
        }
        var environment = ProcessInfo.processInfo.environment
        if let file { environment[OfficeHours.fileVariable] = file }
        let calendar: OfficeCalendar
        do {
            calendar = try OfficeHours.read(environment: environment)
        } catch {
            throw CLIFailure(error.description)
        }
        let source = environment[OfficeHours.fileVariable].flatMap { $0.isEmpty ? nil : $0 } ?? "contoh bawaan (KK_OFFICE_CALENDAR_FILE tidak diisi)"
        print("Kalender kantor: \(source)")
        print("Jam layanan:     \(calendar.hoursDescription)")
        print("Hari libur dan cuti bersama (\(calendar.holidays.count)):")
        for holiday in calendar.holidays.sorted(by: { $0.date < $1.date }) {
            print("  \(holiday.date.indonesianFormat)  \(holiday.name)\(holiday.collectiveLeave ? " (cuti bersama)" : "")")
        }
        let now = Date()
        let state =
            calendar.isOpen(at: now)
            ? "buka"
            : "tutup; buka lagi \(calendar.nextOpening(after: now).map(OfficeCalendar.indonesianMoment) ?? "tidak dalam 400 hari")"
        print("Sekarang:        \(state)")
    }
}
