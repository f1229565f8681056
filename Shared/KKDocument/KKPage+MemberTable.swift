import CCairo
import KKDomain

extension KKPage {
    /// Draws (or only measures) one member table; returns its height. Columns
    /// of a group share a band above their own headings; the others' headings
    /// span both rows, as on the printed form.
    func table(_ members: [FamilyMember], columns: [KKTableColumn], x: Double, width: Double, top: Double, fontSize: Double, draw: Bool) -> Double {
        let numberWidth = 18.0
        let unit = (width - numberWidth) / columns.map(\.weight).reduce(0, +)
        let widths = [numberWidth] + columns.map { $0.weight * unit }
        let lefts = widths.indices.map { x + widths[..<$0].reduce(0, +) }
        let groupOf = [nil] + columns.map(\.group)
        let spans = KKTableColumn.spans(of: columns)
        let padding = 2.0
        let line = fontSize * 1.25
        // Header: the group band (when any), then headings that may wrap to two lines.
        let band = spans.isEmpty ? 0 : line + 2 * padding
        let headings = (["No"] + columns.map(\.heading)).enumerated().map { column, heading in
            wrap(heading, width: widths[column] - 2 * padding, minimum: fontSize * 0.8, bold: true, base: fontSize)
        }
        let headerHeight = band + Double(headings.map { $0.lines.count }.max() ?? 1) * line + 2 * padding
        // Rows: each cell shrinks, then wraps.
        let rows = members.enumerated().map { index, member in
            ([String(index + 1)] + columns.map { member.value(of: $0.field) }).enumerated().map { column, value in
                wrap(value, width: widths[column] - 2 * padding, minimum: max(4, fontSize * 0.72), bold: false, base: fontSize)
            }
        }
        let rowHeights = rows.map { cells in Double(cells.map { $0.lines.count }.max() ?? 1) * line + 2 * padding }
        let height = headerHeight + rowHeights.reduce(0, +)
        guard draw else { return height }

        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88)
        cairo_rectangle(cr, x, top, width, headerHeight)
        cairo_fill(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)
        for span in spans {
            let spanLeft = lefts[span.columns.lowerBound]
            let spanWidth = span.columns.map { widths[$0] }.reduce(0, +)
            let title = wrap(span.title, width: spanWidth - 2 * padding, minimum: fontSize * 0.7, bold: true, base: fontSize)
            font(KKPage.condensed, size: title.size, bold: true)
            centred(title.lines.joined(separator: " "), x: spanLeft, width: spanWidth, y: top + padding + fontSize)
        }
        for (column, heading) in headings.enumerated() {
            font(KKPage.condensed, size: heading.size, bold: true)
            let cellTop = groupOf[column] == nil ? top : top + band
            let blockHeight = Double(heading.lines.count) * line
            for (index, text) in heading.lines.enumerated() {
                centred(
                    text, x: lefts[column], width: widths[column],
                    y: cellTop + (top + headerHeight - cellTop - blockHeight) / 2 + Double(index) * line + fontSize)
            }
        }
        var y = top + headerHeight
        for (row, cells) in rows.enumerated() {
            for (column, cell) in cells.enumerated() {
                font(KKPage.condensed, size: cell.size)
                for (index, text) in cell.lines.enumerated() {
                    let baseline = y + padding + Double(index) * line + fontSize
                    if column == 0 {
                        centred(text, x: lefts[column], width: widths[column], y: baseline)
                    } else {
                        self.text(text, x: lefts[column] + padding, y: baseline)
                    }
                }
            }
            y += rowHeights[row]
        }
        // The grid: a column inside a group starts below the group's band.
        cairo_set_line_width(cr, 0.5)
        cairo_rectangle(cr, x, top, width, height)
        for span in spans {
            let spanLeft = lefts[span.columns.lowerBound]
            cairo_move_to(cr, spanLeft, top + band)
            cairo_line_to(cr, spanLeft + span.columns.map { widths[$0] }.reduce(0, +), top + band)
        }
        var lineY = top + headerHeight
        cairo_move_to(cr, x, lineY)
        cairo_line_to(cr, x + width, lineY)
        for rowHeight in rowHeights.dropLast() {
            lineY += rowHeight
            cairo_move_to(cr, x, lineY)
            cairo_line_to(cr, x + width, lineY)
        }
        for column in lefts.indices.dropFirst() {
            let inGroup = groupOf[column] != nil && groupOf[column] == groupOf[column - 1]
            cairo_move_to(cr, lefts[column], inGroup ? top + band : top)
            cairo_line_to(cr, lefts[column], top + height)
        }
        cairo_stroke(cr)
        return height
    }
}
