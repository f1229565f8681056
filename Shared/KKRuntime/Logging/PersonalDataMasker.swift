import Foundation

/// Masks personal data in log text: NIK and KK numbers (16 digits) keep their
/// region prefix and sequence, phone numbers keep their last three digits.
///
/// "NIK 3402124506900001" -> "NIK 3402********0001", "6281234567890" -> "628*******890".
public enum PersonalDataMasker {
    private static let sixteenDigits = try! NSRegularExpression(pattern: "(?<![0-9])([0-9]{4})[0-9]{8}([0-9]{4})(?![0-9])")
    private static let phone = try! NSRegularExpression(pattern: "(?<![0-9])(\\+?62|0)(8[0-9]{4,10})([0-9]{3})(?![0-9])")

    public static func mask(_ text: String) -> String {
        guard text.contains(where: \.isNumber) else { return text }
        var result = text
        result = replace(sixteenDigits, in: result) { groups in "\(groups[1])********\(groups[2])" }
        result = replace(phone, in: result) { groups in
            groups[1] + "8" + String(repeating: "*", count: groups[2].count - 1) + groups[3]
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
