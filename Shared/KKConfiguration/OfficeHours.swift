import Foundation
import KKDomain
import Synchronization

/// The office calendar of this process: the JSON file `KK_OFFICE_CALENDAR_FILE`
/// names, or `OfficeCalendar.sample`. SOP clocks (the SLA report, the step
/// metrics, `kk-admin request show`) count its working time, and intake tells
/// an applicant who writes outside its hours when the office resumes.
///
/// ```json
/// {"hours": {"monday": "08:00-15:30", "friday": "08:00-14:30"},
///  "holidays": [{"date": "2026-12-25", "name": "Hari Raya Natal"},
///               {"date": "2026-12-24", "name": "Cuti bersama Hari Raya Natal", "cuti_bersama": true}]}
/// ```
public enum OfficeHours {
    public static let fileVariable = "KK_OFFICE_CALENDAR_FILE"

    /// The calendar in use, and the file it came from with that file's
    /// modification time and size when it was read.
    private struct Loaded: Sendable {
        var calendar: OfficeCalendar
        var path: String?
        var stamp: Stamp
    }

    /// A file's modification time and size: what tells that it was edited.
    private struct Stamp: Sendable, Equatable {
        var modified: Date?
        var size: Int64?
    }
    private static let loaded = Mutex<Loaded?>(nil)

    /// Reads the calendar once at start-up; a missing or malformed file stops the service, naming what is wrong.
    @discardableResult
    public static func configure(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> OfficeCalendar {
        let calendar = try read(environment: environment)
        let path = environment[fileVariable].flatMap { $0.isEmpty ? nil : $0 }
        loaded.withLock { $0 = Loaded(calendar: calendar, path: path, stamp: path.map(stamp(of:)) ?? Stamp()) }
        return calendar
    }

    public static func read(environment: [String: String]) throws(ConfigurationError) -> OfficeCalendar {
        guard let path = environment[fileVariable], !path.isEmpty else { return .sample }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalid(
                variable: fileVariable, value: path, expected: "a readable JSON file with the office's hours and holidays (see the README, \"Office hours\")")
        }
        do {
            return try JSONDecoder().decode(OfficeCalendar.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw .invalid(variable: fileVariable, value: path, expected: "an office calendar: \(context.debugDescription)")
        } catch let DecodingError.keyNotFound(key, _) {
            throw .invalid(variable: fileVariable, value: path, expected: "an office calendar with \"\(key.stringValue)\"")
        } catch {
            throw .invalid(
                variable: fileVariable, value: path,
                expected: #"an office calendar: {"hours": {"monday": "08:00-15:30", ...}, "holidays": [{"date": "2026-12-25", "name": "..."}]}"#)
        }
    }

    /// The configured calendar (read now when the process has not yet). A file
    /// the operator edits is read again once it changes, so next year's
    /// holidays need no restart; an edit that does not parse is ignored and the
    /// calendar read before stays (`kk-admin office-calendar --file` names the fault).
    public static var calendar: OfficeCalendar {
        if let current = loaded.withLock({ $0 }) {
            guard let path = current.path else { return current.calendar }
            let now = stamp(of: path)
            guard now != current.stamp else { return current.calendar }
            let reread = (try? read(environment: [fileVariable: path])) ?? current.calendar
            loaded.withLock { $0 = Loaded(calendar: reread, path: path, stamp: now) }
            return reread
        }
        do { return try configure() } catch { preconditionFailure("\(error.description) (services read it at start-up)") }
    }

    private static func stamp(of path: String) -> Stamp {
        let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        return Stamp(modified: attributes[.modificationDate] as? Date, size: (attributes[.size] as? NSNumber)?.int64Value)
    }
}
