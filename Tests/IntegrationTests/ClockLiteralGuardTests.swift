import Foundation
import KKTesting
import Testing

/// Finds fixed points in time written into test and load-generator code where
/// the code under test compares them with "now": a Unix timestamp given to a
/// webhook or event builder, and a calendar date. Such a literal makes a test
/// pass only near the day it was written (on 26 November 2026 every reply in
/// the gateway tests turned into a template because the webhooks carried a
/// timestamp from the 25th). Dates that are data, such as a member's date of
/// birth in the register (`tanggal_lahir`, `tanggal_perkawinan`, ...), stay
/// allowed; tests take the clock's time, or a time relative to it.
enum ClockLiteralGuard {
    struct Finding: CustomStringConvertible, Equatable {
        let file: String
        let line: Int
        let text: String
        let rule: String
        var description: String { "\(file):\(line): \(rule): \(text.trimmingCharacters(in: .whitespaces))" }
    }

    /// The folders whose Swift files build webhooks and events for tests and benchmarks.
    static let scannedFolders = ["Tests", "Benchmarks"]

    /// A Unix-seconds literal (ten digits: 2001 to 2286; `_` allowed) given as a
    /// timestamp: in webhook JSON (`"timestamp":"<digits>"`), as a builder's
    /// argument (`timestamp: "<digits>"`, `("timestamp", .string("<digits>"))`),
    /// assigned (`let timestamp = String(<digits> + ...)`), or as a `Date`
    /// (`Date(timeIntervalSince1970: <digits>)`).
    static let unixTimestamp =
        #"(?i)(timestamp\\?"?\s*[:=,]\s*(\.string\()?\s*(String\()?\s*\\?"?|timeIntervalSince1970:\s*)[0-9](_?[0-9]){9}([^0-9_]|$)"#
    /// A calendar date, `YYYY-MM-DD` (also inside a date-time).
    static let calendarDate = #"(^|[^0-9])(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([^0-9]|$)"#
    /// Register columns holding dates as data (the KK's own fields).
    static let registerDateColumn = #"tanggal_[a-z_]+"#

    static func scan(source: String, file: String) -> [Finding] {
        let unixTimestamp = try! Regex(Self.unixTimestamp)
        let calendarDate = try! Regex(Self.calendarDate)
        let registerDateColumn = try! Regex(Self.registerDateColumn)
        var findings: [Finding] = []
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = String(line)
            if text.contains(unixTimestamp) {
                findings.append(
                    Finding(file: file, line: index + 1, text: text, rule: "a fixed Unix timestamp; use the clock's time (Webhook.timestamp(), Date())"))
            }
            if text.contains(calendarDate), !text.contains(registerDateColumn) {
                findings.append(Finding(file: file, line: index + 1, text: text, rule: "a fixed calendar date; derive it from today's date"))
            }
        }
        return findings
    }

    /// Every Swift file under `root`'s scanned folders, paths relative to `root`.
    static func scan(root: URL) throws -> [Finding] {
        var findings: [Finding] = []
        for folder in scannedFolders {
            let base = root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in files where url.pathExtension == "swift" {
                let relative = folder + "/" + url.path.dropFirst(base.path.count + 1)
                findings += scan(source: try String(contentsOf: url, encoding: .utf8), file: relative)
            }
        }
        return findings
    }
}

@Suite("No test passes only near the day it was written")
struct ClockLiteralGuardTests {
    @Test("no test or load generator writes a fixed Unix timestamp or calendar date into a webhook or event")
    func repositoryIsClean() throws {
        let findings = try ClockLiteralGuard.scan(root: TestStack.repositoryRoot)
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
    }

    @Test("a planted literal timestamp or date is found, with its file and line; birth dates in the register stay allowed")
    func plantedLiteralsAreFound() throws {
        // Written to a copy of the layout, as a developer would write them; the digits are joined
        // at run time so this file itself carries no literal.
        let seconds = ["1795", "565986"].joined()
        let day = ["2026", "11", "25"].joined(separator: "-")
        let planted = """
            import Foundation
            enum Planted {
                static let webhook = #"{"messages":[{"from":"6281200000001","id":"wamid.1","timestamp":"\(seconds)","type":"text"}]}"#
                static let fuzz = textMessage(from: "6281599000011", id: "wamid.2", timestamp: "\(seconds)", body: "halo")
                static let status = ("timestamp", .string("\(seconds)"))
                static let start = Date(timeIntervalSince1970: \(seconds))
                static let period = ["sla", "--from", "\(day)"]
                static let member = ["tanggal_lahir": "\(day)"]
                static let phoneNumberID = "1234567890"
                static let now = String(Int(Date().timeIntervalSince1970))
            }
            """
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("clock-guard-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("Tests/SomeTests")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try planted.write(to: folder.appendingPathComponent("PlantedTests.swift"), atomically: true, encoding: .utf8)

        let findings = try ClockLiteralGuard.scan(root: root)
        #expect(findings.map(\.line) == [3, 4, 5, 6, 7], "\(findings)")
        #expect(findings.allSatisfy { $0.file == "Tests/SomeTests/PlantedTests.swift" })
        #expect(findings.first?.description.hasPrefix("Tests/SomeTests/PlantedTests.swift:3: a fixed Unix timestamp") == true)
        #expect(findings.last?.rule.contains("calendar date") == true)
    }
}
