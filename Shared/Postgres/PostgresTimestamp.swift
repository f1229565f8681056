import Foundation

/// timestamptz text in and out. Connections set `TimeZone=UTC`, so the server
/// writes `YYYY-MM-DD HH:MM:SS[.ffffff]+00`.
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let totalMicros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        var seconds = Int64((totalMicros / 1_000_000).rounded(.down))
        var micros = Int64(totalMicros) - seconds * 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var tm = tm()
        var t = time_t(seconds)
        gmtime_r(&t, &tm)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%06d+00", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday),
            Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec), Int(micros))
    }

    static func parse(_ text: String) -> Date? {
        // 2026-11-24 03:04:05.123456+00 (offset may be +HH, +HH:MM or +HH:MM:SS)
        let chars = Array(text.utf8)
        guard chars.count >= 19 else { return nil }
        func number(_ from: Int, _ length: Int) -> Int? {
            guard from + length <= chars.count else { return nil }
            var n = 0
            for c in chars[from..<(from + length)] {
                guard c >= 48, c <= 57 else { return nil }
                n = n * 10 + Int(c - 48)
            }
            return n
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var index = 19
        var micros = 0
        if index < chars.count, chars[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                if digits < 6 { micros = micros * 10 + Int(chars[index] - 48) }
                digits += 1
                index += 1
            }
            if digits < 6 { for _ in digits..<6 { micros *= 10 } }
        }
        var offsetSeconds = 0
        if index < chars.count, chars[index] == UInt8(ascii: "+") || chars[index] == UInt8(ascii: "-") {
            let sign = chars[index] == UInt8(ascii: "-") ? -1 : 1
            let h = number(index + 1, 2) ?? 0
            var m = 0
            if index + 3 < chars.count, chars[index + 3] == UInt8(ascii: ":") { m = number(index + 4, 2) ?? 0 }
            offsetSeconds = sign * (h * 3600 + m * 60)
        }
        var tm = tm()
        tm.tm_year = Int32(year - 1900)
        tm.tm_mon = Int32(month - 1)
        tm.tm_mday = Int32(day)
        tm.tm_hour = Int32(hour)
        tm.tm_min = Int32(minute)
        tm.tm_sec = Int32(second)
        let epoch = Int64(timegm(&tm)) - Int64(offsetSeconds)
        return Date(timeIntervalSince1970: Double(epoch) + Double(micros) / 1_000_000)
    }
}
