import Foundation

/// Masks personal data in text that leaves the request's own pages (logs,
/// dead-letter reasons, audit details, error texts, /health): a NIK or KK
/// number (16 digits, also written in groups) keeps only its last 4 digits, a
/// phone number its country or trunk prefix and last 3 digits, in every usual
/// form (6281234567890, +62 812-3456-7890, 0812 3456 7890, 0812.3456.7890).
///
/// "NIK 3402124506900001" -> "NIK ************0001", "0812-3456-7890" -> "08*******890".
public enum PersonalDataMasker {
    /// 16 digits, contiguous or in groups separated by one space, dot or hyphen.
    private static let sixteenDigits = try! NSRegularExpression(pattern: "(?<![0-9])[0-9](?:[ .\\-]?[0-9]){15}(?![0-9])")
    /// An Indonesian mobile number: +62, 62 or 0, then 8 and 8-11 more digits, in groups or not.
    private static let phone = try! NSRegularExpression(
        pattern: "(?<![0-9+])(\\+62|62|0)[ .\\-]?\\(?(8[0-9]{1,3})\\)?(?:[ .\\-]?[0-9]){6,9}(?![0-9])")

    public static func mask(_ text: String) -> String {
        guard text.contains(where: \.isNumber) else { return text }
        var result = replace(sixteenDigits, in: text) { groups in
            let digits = groups[0].filter(\.isNumber)
            return String(repeating: "*", count: 12) + digits.suffix(4)
        }
        result = replace(phone, in: result) { groups in
            let digits = groups[0].filter(\.isNumber)
            let prefix = groups[1]
            let national = digits.dropFirst(prefix.filter(\.isNumber).count)  // 8xx...
            return prefix + "8" + String(repeating: "*", count: max(0, national.count - 4)) + national.suffix(3)
        }
        return result
    }

    private static func replace(_ regex: NSRegularExpression, in text: String, with make: ([String]) -> String) -> String {
        let ns = text as NSString
        var output = ""
        var last = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            output += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            let groups = (0..<match.numberOfRanges).map { i in
                let r = match.range(at: i)
                return r.location == NSNotFound ? "" : ns.substring(with: r)
            }
            output += make(groups)
            last = match.range.location + match.range.length
        }
        output += ns.substring(from: last)
        return output
    }
}
