import CCairo
import Foundation

/// The SLA report as a PNG a head of department can read at a glance: one row
/// per SOP step, the median and 90th-percentile durations drawn against the
/// step's standard (the red line, at the same place on every row, so a bar
/// past it means "slower than the SOP allows"), and the share of steps over it.
public enum SLAChart {
    static let width = 1400.0
    static let rowHeight = 58.0
    static let top = 130.0
    static let labelWidth = 330.0
    /// Where the standard sits on every row, and how far past it a bar may go.
    static let standardX = labelWidth + 360.0
    static let barEnd = labelWidth + 720.0
    static let sans = "DejaVu Sans"

    public static func png(_ report: SLAReport) throws(SLAChartError) -> [UInt8] {
        let rows = report.steps.filter { ($0.standard ?? 0) > 0 }
        let height = top + Double(max(rows.count, 1)) * rowHeight + 110
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)),
            cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS
        else { throw .cairo("could not create a \(Int(width))x\(Int(height)) image") }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { throw .cairo("could not create a drawing context") }
        defer { cairo_destroy(cr) }
        draw(report, rows: rows, height: height, cr)
        cairo_surface_flush(surface)

        let sink = PNGSink()
        let status = cairo_surface_write_to_png_stream(
            surface,
            { closure, data, length in
                let sink = Unmanaged<PNGSink>.fromOpaque(closure!).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else { throw .cairo(String(cString: cairo_status_to_string(status))) }
        return sink.bytes
    }

    static func draw(_ report: SLAReport, rows: [SLAReport.Row], height: Double, _ cr: OpaquePointer) {
        color(cr, 1, 1, 1)
        cairo_paint(cr)
        color(cr, 0.1, 0.1, 0.1)
        text(cr, "Waktu layanan KK per langkah SOP", x: 40, y: 50, size: 26, bold: true)
        let overall = report.overall
        text(
            cr,
            "\(report.period.description) (WIB) - \(report.requestCount) permohonan, \(overall.count) langkah, "
                + "\(overall.breaches) lewat standar (\(SLAReportText.percent(overall.breachRate)))",
            x: 40, y: 84, size: 15)
        color(cr, 0.35, 0.35, 0.35)
        text(cr, "Batang: median (gelap) dan persentil ke-90 (terang). Garis merah: standar waktu SOP.", x: 40, y: 110, size: 13)
        if rows.isEmpty {
            color(cr, 0.1, 0.1, 0.1)
            text(cr, "Tidak ada langkah yang selesai dalam periode ini.", x: 40, y: top + 40, size: 16)
        }
        let unit = standardX - labelWidth
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            let standard = row.standard ?? 1
            let s = row.statistics
            if index % 2 == 0 {
                color(cr, 0.96, 0.97, 0.98)
                cairo_rectangle(cr, 20, y, width - 40, rowHeight)
                cairo_fill(cr)
            }
            color(cr, 0.1, 0.1, 0.1)
            text(cr, row.label, x: 40, y: y + 24, size: 16, bold: true)
            color(cr, 0.35, 0.35, 0.35)
            text(cr, "standar \(SLAReportText.duration(standard)), \(s.count) kali", x: 40, y: y + 44, size: 12)
            let p90 = min(s.p90 / standard, (barEnd - labelWidth) / unit)
            let median = min(s.median / standard, (barEnd - labelWidth) / unit)
            color(cr, 0.62, 0.76, 0.9)
            cairo_rectangle(cr, labelWidth, y + 12, p90 * unit, rowHeight - 24)
            cairo_fill(cr)
            color(cr, 0.12, 0.35, 0.63)
            cairo_rectangle(cr, labelWidth, y + 20, median * unit, rowHeight - 40)
            cairo_fill(cr)
            if s.p90 / standard > (barEnd - labelWidth) / unit {
                color(cr, 0.1, 0.1, 0.1)
                text(cr, "»", x: barEnd + 4, y: y + 36, size: 18, bold: true)
            }
            color(cr, 0.1, 0.1, 0.1)
            text(
                cr, "median \(SLAReportText.duration(s.median)), P90 \(SLAReportText.duration(s.p90))", x: barEnd + 30, y: y + 24, size: 13)
            if s.breachRate > 0.1 { color(cr, 0.75, 0.1, 0.1) }
            text(cr, "lewat standar: \(s.breaches) (\(SLAReportText.percent(s.breachRate)))", x: barEnd + 30, y: y + 44, size: 13, bold: s.breachRate > 0.1)
        }
        // The standard: one red line through every row.
        color(cr, 0.8, 0.1, 0.1)
        cairo_set_line_width(cr, 3)
        cairo_move_to(cr, standardX, top - 6)
        cairo_line_to(cr, standardX, top + Double(max(rows.count, 1)) * rowHeight + 6)
        cairo_stroke(cr)
        text(cr, "standar SOP", x: standardX - 40, y: top + Double(max(rows.count, 1)) * rowHeight + 26, size: 13, bold: true)
        color(cr, 0.35, 0.35, 0.35)
        text(cr, "Sumber: log peristiwa permohonan (request_events). Dibuat oleh kk-admin sla.", x: 40, y: height - 24, size: 12)
    }

    static func color(_ cr: OpaquePointer, _ r: Double, _ g: Double, _ b: Double) { cairo_set_source_rgb(cr, r, g, b) }

    static func text(_ cr: OpaquePointer, _ text: String, x: Double, y: Double, size: Double, bold: Bool = false) {
        cairo_select_font_face(cr, sans, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
        cairo_move_to(cr, x, y)
        cairo_show_text(cr, text)
    }
}

/// Collects the bytes cairo writes.
final class PNGSink: @unchecked Sendable {
    var bytes: [UInt8] = []
}

public enum SLAChartError: Error, CustomStringConvertible {
    case cairo(String)

    public var description: String {
        switch self {
        case let .cairo(detail): "The SLA chart could not be drawn (\(detail)); check that cairo and the DejaVu fonts are installed (make setup)."
        }
    }
}
