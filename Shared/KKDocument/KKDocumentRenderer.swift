import CCairo
import CQRencode
import Foundation
import KKDomain

/// Draws a KK as a one-page A4-landscape PDF with cairo: the title and number,
/// the head-of-family and address block, the two member tables with every
/// column under the form's headings, the issue date, the head of family, the
/// Kepala Dinas' signature block, and a QR code with the verification
/// reference beside the electronic-signature statement. Text is real text in embedded DejaVu
/// fonts; a cell whose text is too wide shrinks it, then wraps it, so long
/// names and a family of 12 fit without anything cut off. PDF 1.4 with a
/// classic cross-reference table, so the signer can update it incrementally.
public enum KKDocumentRenderer {
    static let pageWidth = 841.89
    static let pageHeight = 595.28
    static let margin = 22.0

    public static func render(_ content: KKDocumentContent) throws -> [UInt8] {
        let sink = PDFByteSink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        guard
            let surface = cairo_pdf_surface_create_for_stream(
                { closure, data, length in
                    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
                    Unmanaged<PDFByteSink>.fromOpaque(closure).takeUnretainedValue().bytes.append(
                        contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                    return CAIRO_STATUS_SUCCESS
                }, unmanaged.toOpaque(), pageWidth, pageHeight)
        else { throw KKRenderError.cairo("cannot create the PDF surface") }
        cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_4)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "Kartu Keluarga \(content.record.kkNumber.value)")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, OfficeProfile.current.officeName)
        guard let cr = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw KKRenderError.cairo("cannot create the drawing context")
        }
        let page = KKPage(cr: cr)
        try page.draw(content)
        cairo_show_page(cr)
        let status = cairo_status(cr)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let surfaceStatus = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS, surfaceStatus == CAIRO_STATUS_SUCCESS else {
            throw KKRenderError.cairo(String(cString: cairo_status_to_string(status != CAIRO_STATUS_SUCCESS ? status : surfaceStatus)))
        }
        guard !sink.bytes.isEmpty else { throw KKRenderError.cairo("the PDF is empty") }
        return sink.bytes
    }
}

/// Why a KK could not be drawn.
public enum KKRenderError: Error, CustomStringConvertible {
    case cairo(String)
    case qrCode(String)

    public var description: String {
        switch self {
        case let .cairo(detail): "Drawing the KK failed in cairo: \(detail). Is fonts-dejavu-core installed (make setup)?"
        case let .qrCode(detail): "The QR code could not be made: \(detail)."
        }
    }
}

/// Collects the bytes cairo writes.
final class PDFByteSink: @unchecked Sendable {
    var bytes: [UInt8] = []
}

/// The drawing of one KK page.
struct KKPage {
    let cr: OpaquePointer
    static let sans = "DejaVu Sans"
    static let condensed = "DejaVu Sans Condensed"

    func font(_ family: String = KKPage.sans, size: Double, bold: Bool = false, italic: Bool = false) {
        cairo_select_font_face(cr, family, italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    func width(_ text: String) -> Double {
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        return extents.x_advance
    }

    func text(_ text: String, x: Double, y: Double) {
        cairo_move_to(cr, x, y)
        cairo_show_text(cr, text)
    }

    func centred(_ text: String, x: Double, width: Double, y: Double) {
        self.text(text, x: x + (width - self.width(text)) / 2, y: y)
    }

    func draw(_ content: KKDocumentContent) throws {
        let left = KKDocumentRenderer.margin
        let right = KKDocumentRenderer.pageWidth - KKDocumentRenderer.margin
        let full = right - left
        cairo_set_source_rgb(cr, 0, 0, 0)
        font(size: 20, bold: true)
        centred("KARTU KELUARGA", x: left, width: full, y: 44)
        font(size: 12, bold: true)
        centred("No. \(content.record.kkNumber.value)", x: left, width: full, y: 62)

        // Head of family and address, in two columns.
        let record = content.record
        let a = record.address
        font(size: 8.5)
        let leftRows = [
            ("Nama Kepala Keluarga", record.head?.fullName ?? "-"), ("Alamat", a.street), ("RT/RW", "\(a.rt)/\(a.rw)"),
            ("Desa/Kelurahan", a.village),
        ]
        let rightRows = [("Kecamatan", a.district), ("Kabupaten/Kota", a.regency), ("Kode Pos", a.postalCode), ("Provinsi", a.province)]
        for (index, row) in leftRows.enumerated() { labelled(row, x: left, labelWidth: 105, valueWidth: full / 2 - 120, y: 84 + Double(index) * 12) }
        for (index, row) in rightRows.enumerated() {
            labelled(row, x: left + full / 2 + 60, labelWidth: 80, valueWidth: full / 2 - 145, y: 84 + Double(index) * 12)
        }

        // The two member tables share the space between the header and the signature block.
        let top = 136.0
        let bottom = 452.0
        var fontSize = 8.5
        while fontSize > 4.5 {
            let one = table(record.members, columns: KKTableColumn.identity, x: left, width: full, top: top, fontSize: fontSize, draw: false)
            let two = table(record.members, columns: KKTableColumn.status, x: left, width: full, top: top, fontSize: fontSize, draw: false)
            if one + two + 10 <= bottom - top { break }
            fontSize -= 0.25
        }
        let firstHeight = table(record.members, columns: KKTableColumn.identity, x: left, width: full, top: top, fontSize: fontSize, draw: true)
        _ = table(record.members, columns: KKTableColumn.status, x: left, width: full, top: top + firstHeight + 10, fontSize: fontSize, draw: true)

        // Left, the QR code and the electronic-signature statement; centre, the
        // head of family; right, the Kepala Dinas' signature block.
        let qrSize = 78.0
        try qrCode(content.verificationReference, x: left, y: 470, size: qrSize)
        font(size: 7)
        let statement = wrap(
            "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan oleh "
                + "\(content.certificateIssuer), sehingga tidak memerlukan tanda tangan basah dan cap.",
            width: 270, minimum: 6, bold: false, base: 7)
        let notes = statement.lines + ["Periksa keaslian KK ini dengan memindai kode QR.", "ID dokumen: \(content.documentID.uuidString.lowercased())"]
        font(KKPage.condensed, size: statement.size)
        for (index, line) in notes.enumerated() { text(line, x: left + qrSize + 10, y: 486 + Double(index) * 10) }
        let headBlock = left + qrSize + 290
        font(size: 8.5, bold: true)
        centred("KEPALA KELUARGA", x: headBlock, width: 170, y: 486)
        let headName = wrap(record.head?.fullName ?? "-", width: 170, minimum: 6, bold: true, base: 9)
        font(KKPage.condensed, size: headName.size, bold: true)
        for (index, line) in headName.lines.enumerated() { centred(line, x: headBlock, width: 170, y: 540 + Double(index) * 10) }
        let block = right - 250
        font(size: 8.5)
        text("Dikeluarkan tanggal: \(content.issueDate.indonesianFormat)", x: block, y: 472)
        font(size: 8.5, bold: true)
        text("KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL", x: block, y: 486)
        text(OfficeProfile.current.regencyHeading, x: block, y: 498)
        cairo_set_source_rgb(cr, 0.35, 0.35, 0.35)
        font(size: 7, italic: true)
        text("Ditandatangani secara elektronik", x: block, y: 518)
        cairo_set_source_rgb(cr, 0, 0, 0)
        let name = content.signerName
        var nameSize = 9.0
        font(size: nameSize, bold: true)
        while width(name) > 250, nameSize > 6 {
            nameSize -= 0.5
            font(size: nameSize, bold: true)
        }
        text(name, x: block, y: 540)
        cairo_set_line_width(cr, 0.6)
        cairo_move_to(cr, block, 542.5)
        cairo_line_to(cr, block + width(name), 542.5)
        cairo_stroke(cr)
        font(size: 8.5)
        text("NIP. \(content.signerNIP)", x: block, y: 554)
    }

    func labelled(_ row: (String, String), x: Double, labelWidth: Double, valueWidth: Double, y: Double) {
        font(size: 8.5)
        text(row.0, x: x, y: y)
        text(":", x: x + labelWidth, y: y)
        var size = 8.5
        font(size: size, bold: true)
        while width(row.1) > valueWidth, size > 5 {
            size -= 0.5
            font(size: size, bold: true)
        }
        text(row.1, x: x + labelWidth + 8, y: y)
    }

    /// The text in lines that fit `width`: first at `base`, shrinking to
    /// `minimum`, then wrapped at spaces (or slashes) onto more lines. A NIK or
    /// any single word is never split.
    func wrap(_ value: String, width: Double, minimum: Double, bold: Bool, base: Double) -> (size: Double, lines: [String]) {
        var size = base
        font(KKPage.condensed, size: size, bold: bold)
        while self.width(value) > width, size > minimum {
            size -= 0.25
            font(KKPage.condensed, size: size, bold: bold)
        }
        if self.width(value) <= width { return (size, [value]) }
        var lines: [String] = []
        var current = ""
        for word in value.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if self.width(candidate) <= width || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        // A single word still too wide (e.g. "AKADEMI/DIPLOMA"): shrink further rather than cut.
        while lines.contains(where: { self.width($0) > width }), size > 3 {
            size -= 0.25
            font(KKPage.condensed, size: size, bold: bold)
        }
        return (size, lines)
    }

    func qrCode(_ reference: String, x: Double, y: Double, size: Double) throws {
        guard let code = QRcode_encodeString(reference, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw KKRenderError.qrCode("libqrencode refused '\(reference.prefix(40))…'")
        }
        defer { QRcode_free(code) }
        let modules = Int(code.pointee.width)
        let quiet = 2
        let cell = size / Double(modules + 2 * quiet)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_rectangle(cr, x, y, size, size)
        cairo_fill(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)
        for row in 0..<modules {
            for column in 0..<modules where code.pointee.data[row * modules + column] & 1 == 1 {
                cairo_rectangle(cr, x + Double(column + quiet) * cell, y + Double(row + quiet) * cell, cell, cell)
            }
        }
        cairo_fill(cr)
    }
}
