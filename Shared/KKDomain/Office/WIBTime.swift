import Foundation

/// Times as the office and applicants read them: Western Indonesian Time
/// (UTC+7, no daylight saving), "25-11-2026 09.14 WIB".
public enum WIBTime {
    public static let zone = TimeZone(secondsFromGMT: 7 * 3600)!

    public static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%02d-%02d-%04d %02d.%02d WIB", c.day ?? 0, c.month ?? 0, c.year ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}
