/// Just enough of a PDF reader for an incremental update of an uncompressed
/// PDF (as cairo writes at version 1.4): the trailer, the last xref offset,
/// and the dictionary text of numbered objects.
struct PDFObjectScanner {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) throws(PDFSigningError) {
        guard bytes.starts(with: Array("%PDF-".utf8)) else { throw .notAPDF }
        self.bytes = bytes
    }

    /// The offset after the last `startxref`.
    func lastXrefOffset() throws(PDFSigningError) -> Int {
        guard let at = lastIndex(of: "startxref") else { throw .notAPDF }
        let digits = bytes[(at + 9)...].drop { $0 == 10 || $0 == 13 || $0 == 32 }.prefix { $0 >= 48 && $0 <= 57 }
        guard let offset = Int(String(decoding: digits, as: UTF8.self)), offset < bytes.count else { throw .notAPDF }
        guard bytes[offset...].starts(with: Array("xref".utf8)) else {
            throw .unsupportedStructure("the last cross-reference section is an xref stream")
        }
        return offset
    }

    /// The dictionary of the last `trailer`.
    func trailer() throws(PDFSigningError) -> String {
        guard let at = lastIndex(of: "trailer") else { throw .unsupportedStructure("no trailer dictionary") }
        return try dictionary(startingAfter: at)
    }

    /// The dictionary of object `number` (its last definition).
    func object(_ number: Int) throws(PDFSigningError) -> String {
        guard let at = lastIndex(of: "\n\(number) 0 obj") ?? lastIndex(of: "\r\(number) 0 obj") else {
            throw .unsupportedStructure("object \(number) not found")
        }
        return try dictionary(startingAfter: at)
    }

    /// The numbers of objects whose dictionary has `/Type /Page` (not /Pages).
    func pageObjects() -> [Int] {
        var found: [Int] = []
        let text = String(decoding: bytes, as: UTF8.self)
        for match in text.matches(of: /(?m)^(\d+) 0 obj\s*<<\s*\/Type\s*\/Page[\s\/>]/) {
            if let number = Int(match.1) { found.append(number) }
        }
        return found
    }

    /// "/Root 13 0 R" -> 13.
    static func reference(_ key: String, in dictionary: String) -> Int? {
        guard let match = dictionary.firstMatch(of: try! Regex("/\(key)\\s+(\\d+)\\s+0\\s+R")) else { return nil }
        return Int(match.output[1].substring ?? "")
    }

    /// "/Size 14" -> 14.
    static func integer(_ key: String, in dictionary: String) -> Int? {
        guard let match = dictionary.firstMatch(of: try! Regex("/\(key)\\s+(\\d+)")) else { return nil }
        return Int(match.output[1].substring ?? "")
    }

    /// The balanced `<< ... >>` after `offset`, as text.
    private func dictionary(startingAfter offset: Int) throws(PDFSigningError) -> String {
        var index = offset
        while index + 1 < bytes.count, !(bytes[index] == 60 && bytes[index + 1] == 60) { index += 1 }
        let start = index
        var depth = 0
        while index + 1 < bytes.count {
            if bytes[index] == 60, bytes[index + 1] == 60 {
                depth += 1
                index += 2
            } else if bytes[index] == 62, bytes[index + 1] == 62 {
                depth -= 1
                index += 2
                if depth == 0 { return String(decoding: bytes[start..<index], as: UTF8.self) }
            } else {
                index += 1
            }
        }
        throw .unsupportedStructure("unbalanced dictionary at offset \(offset)")
    }

    func lastIndex(of text: String) -> Int? {
        let needle = Array(text.utf8)
        guard needle.count <= bytes.count else { return nil }
        var index = bytes.count - needle.count
        while index >= 0 {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index -= 1
        }
        return nil
    }
}
