/// The last signature of a PDF as a reader finds it: the byte range it
/// covers, the bytes signed, and the CMS blob in `/Contents`.
public struct PDFSignatureField: Sendable {
    public let byteRange: [Int]
    public let signedBytes: [UInt8]
    /// The DER of the CMS ContentInfo (the zero padding removed).
    public let cms: [UInt8]
    /// The range covers the whole file but the signature itself (nothing appended after signing).
    public let coversWholeFile: Bool

    public static func read(_ pdf: [UInt8]) throws -> PDFSignatureField {
        let scanner = try PDFObjectScanner(pdf)
        guard let at = scanner.lastIndex(of: "/ByteRange") else { throw PDFSigningError.noSignature }
        let tail = String(decoding: pdf[at..<min(pdf.count, at + 120)], as: UTF8.self)
        guard let match = tail.firstMatch(of: /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/) else {
            throw PDFSigningError.malformedSignature("/ByteRange is not four integers")
        }
        let range = [Int(match.1)!, Int(match.2)!, Int(match.3)!, Int(match.4)!]
        guard range[0] == 0, range[1] < range[2], range[2] + range[3] <= pdf.count, pdf[range[1]] == 60, pdf[range[2] - 1] == 62 else {
            throw PDFSigningError.malformedSignature("/ByteRange does not frame the /Contents value")
        }
        let hex = pdf[(range[1] + 1)..<(range[2] - 1)]
        var der: [UInt8] = []
        der.reserveCapacity(hex.count / 2)
        var iterator = hex.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = Self.nibble(high), let l = Self.nibble(low) else { throw PDFSigningError.malformedSignature("/Contents is not hexadecimal") }
            der.append(h << 4 | l)
        }
        return PDFSignatureField(
            byteRange: range, signedBytes: Array(pdf[0..<range[1]]) + Array(pdf[range[2]..<(range[2] + range[3])]),
            cms: try Self.trimmed(der), coversWholeFile: range[2] + range[3] == pdf.count)
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 65...70: c - 55
        case 97...102: c - 87
        default: nil
        }
    }

    /// The DER element at the start of `bytes`, without the padding after it.
    static func trimmed(_ bytes: [UInt8]) throws -> [UInt8] {
        guard bytes.count > 2, bytes[0] == 0x30 else { throw PDFSigningError.malformedSignature("/Contents holds no DER sequence") }
        var length = Int(bytes[1])
        var header = 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count > 0, count <= 4, bytes.count > 2 + count else { throw PDFSigningError.malformedSignature("bad DER length") }
            length = bytes[2..<(2 + count)].reduce(0) { $0 << 8 | Int($1) }
            header += count
        }
        guard header + length <= bytes.count else { throw PDFSigningError.malformedSignature("DER longer than /Contents") }
        return Array(bytes[0..<(header + length)])
    }
}
