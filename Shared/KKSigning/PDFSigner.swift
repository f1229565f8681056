import Foundation
import Hex

/// What the signature dictionary says about the signing, shown by PDF readers.
public struct PDFSignatureInfo: Sendable {
    public let name: String
    public let reason: String
    public let location: String
    public let signingTime: Date

    public init(name: String, reason: String, location: String, signingTime: Date) {
        self.name = name
        self.reason = reason
        self.location = location
        self.signingTime = signingTime
    }
}

/// Signs a PDF with an incremental update (ISO 32000-1, 12.8): a signature
/// field on the first page, a signature dictionary with `/SubFilter
/// /adbe.pkcs7.detached`, and a detached CMS signature over every byte of the
/// file except the `/Contents` value.
public enum PDFSigner {
    /// Room for the DER signature: a certificate chain of two plus signed attributes fits easily.
    public static let reservedSignatureBytes = 12_288

    public static func sign(
        _ pdf: [UInt8], info: PDFSignatureInfo, reserve: Int = reservedSignatureBytes,
        cms: ([UInt8]) throws -> [UInt8]
    ) throws -> [UInt8] {
        let scanner = try PDFObjectScanner(pdf)
        let previousXref = try scanner.lastXrefOffset()
        let trailer = try scanner.trailer()
        guard let size = PDFObjectScanner.integer("Size", in: trailer), let root = PDFObjectScanner.reference("Root", in: trailer) else {
            throw PDFSigningError.unsupportedStructure("the trailer has no /Size or /Root")
        }
        guard let page = scanner.pageObjects().first else { throw PDFSigningError.unsupportedStructure("no page object") }
        let catalog = try scanner.object(root)
        let pageDictionary = try scanner.object(page)
        guard !catalog.contains("/AcroForm"), !pageDictionary.contains("/Annots") else {
            throw PDFSigningError.unsupportedStructure("the document already has a form or annotations")
        }
        let signature = size
        let field = size + 1
        let byteRangeTemplate = "/ByteRange [0 0000000000 0000000000 0000000000]"
        let contentsHex = String(repeating: "0", count: reserve * 2)
        var output = pdf
        if output.last != 10 { output.append(10) }
        var offsets: [Int: Int] = [:]
        func append(_ text: String) { output.append(contentsOf: Array(text.utf8)) }
        func object(_ number: Int, _ body: String) {
            offsets[number] = output.count
            append("\(number) 0 obj\n\(body)\nendobj\n")
        }
        object(
            signature,
            "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached \(byteRangeTemplate) /Contents <\(contentsHex)> "
                + "/Name \(hexString(info.name)) /Reason \(hexString(info.reason)) /Location \(hexString(info.location)) "
                + "/M (\(pdfDate(info.signingTime))) >>")
        object(
            field,
            "<< /Type /Annot /Subtype /Widget /FT /Sig /T \(hexString("TTE Kepala Dinas")) /V \(signature) 0 R /F 132 "
                + "/Rect [0 0 0 0] /P \(page) 0 R >>")
        object(root, String(catalog.dropLast(2)) + " /AcroForm << /Fields [\(field) 0 R] /SigFlags 3 >> >>")
        object(page, String(pageDictionary.dropLast(2)) + " /Annots [\(field) 0 R] >>")
        let xref = output.count
        append("xref\n")
        for run in consecutiveRuns(offsets.keys.sorted()) {
            append("\(run[0]) \(run.count)\n")
            for number in run { append(String(format: "%010d 00000 n \n", offsets[number]!)) }
        }
        var newTrailer = "<< /Size \(size + 2) /Root \(root) 0 R"
        if let infoObject = PDFObjectScanner.reference("Info", in: trailer) { newTrailer += " /Info \(infoObject) 0 R" }
        if let id = trailer.firstMatch(of: /\/ID\s*\[[^\]]*\]/) { newTrailer += " " + id.output }
        append("trailer\n\(newTrailer) /Prev \(previousXref) >>\nstartxref\n\(xref)\n%%EOF\n")

        // Fill in the byte range around /Contents, then the signature over those bytes.
        let signatureStart = offsets[signature]!
        guard let templateAt = firstIndex(of: byteRangeTemplate, in: output, from: signatureStart),
            let contentsAt = firstIndex(of: "/Contents <", in: output, from: signatureStart)
        else { throw PDFSigningError.unsupportedStructure("signature placeholder lost") }
        let holeStart = contentsAt + "/Contents ".utf8.count
        let holeEnd = holeStart + 2 + reserve * 2
        let range = "/ByteRange [0 \(holeStart) \(holeEnd) \(output.count - holeEnd)]"
        let padded = range + String(repeating: " ", count: byteRangeTemplate.utf8.count - range.utf8.count)
        output.replaceSubrange(templateAt..<(templateAt + padded.utf8.count), with: Array(padded.utf8))
        let signed = Array(output[0..<holeStart]) + Array(output[holeEnd...])
        let der = try cms(signed)
        guard der.count <= reserve else { throw PDFSigningError.signatureTooLarge(bytes: der.count, reserved: reserve) }
        let hex = Array(der.hexEncoded.uppercased().utf8)
        output.replaceSubrange((holeStart + 1)..<(holeStart + 1 + hex.count), with: hex)
        return output
    }

    /// A PDF text string as UTF-16BE hex with a byte-order mark: any name, no escaping.
    static func hexString(_ text: String) -> String {
        "<FEFF" + text.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }

    /// "D:20261125093000+07'00'" in Western Indonesian Time.
    static func pdfDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "D:%04d%02d%02d%02d%02d%02d+07'00'", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    static func consecutiveRuns(_ numbers: [Int]) -> [[Int]] {
        var runs: [[Int]] = []
        for number in numbers {
            if let last = runs.last?.last, last + 1 == number { runs[runs.count - 1].append(number) } else { runs.append([number]) }
        }
        return runs
    }

    static func firstIndex(of text: String, in bytes: [UInt8], from start: Int) -> Int? {
        let needle = Array(text.utf8)
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
