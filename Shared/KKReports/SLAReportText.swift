import Foundation

/// The SLA report as operators read it (an Indonesian table) and as a
/// spreadsheet takes it (CSV, durations in whole seconds of working time).
public enum SLAReportText {
    public static func table(_ report: SLAReport) -> String {
        var lines = [
            "Laporan waktu layanan KK terhadap standar SOP, \(report.period.description) (WIB)",
            "\(report.requestCount) permohonan; \(report.overall.count) langkah selesai; \(report.overall.breaches) lewat standar (\(percent(report.overall.breachRate))).",
        ]
        guard report.overall.count > 0 else {
            lines.append("Tidak ada langkah yang selesai dalam periode ini.")
            return lines.joined(separator: "\n") + "\n"
        }
        lines += section("Per langkah SOP", first: "Langkah", width: 9, rows: report.steps, standard: true)
        lines += section("Per petugas", first: "Petugas (peran)", width: 44, rows: report.officers, standard: false) { "\($0.label) (\($0.detail))" }
        lines += section("Per kecamatan", first: "Kecamatan", width: 28, rows: report.kecamatan, standard: false) {
            $0.detail == "-" ? $0.label : "\($0.label) \($0.detail)"
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func csv(_ report: SLAReport) -> String {
        var lines = ["bagian,label,keterangan,jumlah,median_detik,p90_detik,standar_detik,lewat_standar,median_menunggu_detik,median_dikerjakan_detik"]
        let sections: [(String, [SLAReport.Row])] = [("langkah", report.steps), ("petugas", report.officers), ("kecamatan", report.kecamatan)]
        for (name, rows) in sections {
            for row in rows {
                let s = row.statistics
                lines.append(
                    [
                        name, row.label, row.detail, "\(s.count)", seconds(s.median), seconds(s.p90), row.standard.map(seconds) ?? "", "\(s.breaches)",
                        s.medianWaiting.map(seconds) ?? "", s.medianWork.map(seconds) ?? "",
                    ]
                    .map(field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "45 dtk", "2 mnt 35 dtk", "3 jam 5 mnt", "2 hari 4 jam".
    public static func duration(_ interval: TimeInterval) -> String {
        let total = Int(interval.rounded())
        if total < 60 { return "\(total) dtk" }
        if total < 3600 { return total % 60 == 0 ? "\(total / 60) mnt" : "\(total / 60) mnt \(total % 60) dtk" }
        if total < 48 * 3600 { return "\(total / 3600) jam \((total % 3600) / 60) mnt" }
        return "\(total / 86400) hari \((total % 86400) / 3600) jam"
    }

    static func section(
        _ title: String, first: String, width: Int, rows: [SLAReport.Row], standard: Bool,
        label: (SLAReport.Row) -> String = { $0.label }
    ) -> [String] {
        var lines = [
            "", title,
            pad(first, width) + pad("Jumlah", 8) + pad("Median", 16) + pad("P90", 16) + (standard ? pad("Standar", 10) : "") + pad("Lewat standar", 18)
                + "Menunggu / dikerjakan (median)",
        ]
        for row in rows {
            let s = row.statistics
            lines.append(
                pad(label(row), width) + pad("\(s.count)", 8) + pad(duration(s.median), 16) + pad(duration(s.p90), 16)
                    + (standard ? pad(row.standard.map(duration) ?? "-", 10) : "") + pad("\(s.breaches) (\(percent(s.breachRate)))", 18)
                    + split(s))
        }
        return lines
    }

    /// "3 mnt / 1 mnt 20 dtk (12 langkah)": waiting and work where known apart.
    static func split(_ s: SLAStatistics) -> String {
        guard let waiting = s.medianWaiting, let work = s.medianWork else { return "-" }
        return "\(duration(waiting)) / \(duration(work)) (\(s.splitCount) langkah)"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width - 1)) + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    static func percent(_ rate: Double) -> String {
        String(format: "%.1f%%", rate * 100).replacingOccurrences(of: ".", with: ",")
    }

    static func seconds(_ interval: TimeInterval) -> String { String(Int(interval.rounded())) }

    static func field(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
