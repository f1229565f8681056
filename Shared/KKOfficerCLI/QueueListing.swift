import Foundation
import KKConfiguration
import KKDomain
import KKStore

/// How every officer queue prints a request: number, reason, how long it has
/// waited against the SOP's standard for the steps it waits for, who has it.
public enum QueueListing {
    public static func line(
        _ request: RequestRecord, entry: OfficerQueue.Entry, steps: [SOPStep], detail: String = "", now: Date = Date()
    ) -> String {
        let standard = steps.reduce(0) { $0 + Double($1.timeStandard.components.seconds) }
        let waited = OfficeHours.calendar.workingSeconds(from: entry.enteredAt, to: now)
        let flag = waited > standard ? "LEWAT STANDAR" : "dalam standar"
        let holder = entry.takenBy.map { "diambil \($0)" } ?? "belum diambil"
        return [
            request.number, request.purpose.padding(toLength: 38, withPad: " ", startingAt: 0),
            "menunggu \(indonesianDuration(waited)) jam kerja / standar \(Int(standard / 60)) mnt: \(flag)", holder, detail,
        ].filter { !$0.isEmpty }.joined(separator: "  ")
    }
}
