import Foundation
import KKConfiguration
import KKDomain

/// A request's path through the SOP from its event log: for each step, who
/// did it, when, how long it took since the previous step, and whether that
/// is within the SOP's time standard.
public struct RequestTimeline: Sendable {
    public struct Entry: Sendable, Equatable {
        public let action: RequestAction
        public let actor: Actor
        public let at: Date
        /// Working time since the previous event (the office calendar's open
        /// hours only): the wait for this actor and the work, the SOP's clock.
        public let elapsed: TimeInterval
        /// Calendar time since the previous event, nights and holidays included.
        public let wallClock: TimeInterval
        /// Of `elapsed`, the working time the request waited before the acting
        /// officer first opened it (their first audited command on it in the
        /// step); nil for the system's and the applicant's steps, and when the
        /// officer acted without opening it first.
        public let waiting: TimeInterval?
        /// Of `elapsed`, the officer's work: from that first command to the action.
        public var work: TimeInterval? { waiting.map { elapsed - $0 } }
        /// The SOP steps this action completes (verification covers 5 and 6).
        public let steps: [SOPStep]
        /// The standard for those steps; nil for the applicant's own time after a return.
        public let standard: TimeInterval?

        public var breached: Bool { standard.map { elapsed > $0 } ?? false }
    }

    public let created: Date
    public let entries: [Entry]

    /// `touches`: the officers' audited commands on the request (`OfficerTouch`),
    /// which split a step into waiting and work. `calendar`: whose open hours
    /// count (the configured office calendar by default).
    public init(events: [StoredEvent], touches: [OfficerTouch] = [], calendar: OfficeCalendar = OfficeHours.calendar) {
        created = events.first?.occurredAt ?? Date()
        var previous = created
        entries = events.compactMap { event in
            guard let action = event.action else { return nil }
            defer { previous = event.occurredAt }
            let steps = Self.steps(of: action)
            let standard: TimeInterval? =
                action == .resubmit || action == .cancel || steps.isEmpty
                ? nil : steps.reduce(0) { $0 + Double($1.timeStandard.components.seconds) }
            let firstTouch =
                Officer.officerRoles.contains(event.actor.role)
                ? touches.first { $0.username == event.actor.id && $0.at >= previous && $0.at <= event.occurredAt }?.at : nil
            return Entry(
                action: action, actor: event.actor, at: event.occurredAt,
                elapsed: calendar.workingSeconds(from: previous, to: event.occurredAt),
                wallClock: event.occurredAt.timeIntervalSince(previous),
                waiting: firstTouch.map { calendar.workingSeconds(from: previous, to: $0) }, steps: steps, standard: standard)
        }
    }

    static func steps(of action: RequestAction) -> [SOPStep] {
        switch action {
        case .verify, .rejectInvalid: [.s5, .s6]
        case .deliver: [.s8, .s9]
        default: action.completesStep.map { [$0] } ?? []
        }
    }

    /// How many steps went over their standard.
    public var breaches: Int { entries.filter(\.breached).count }

    /// The table officers and operators read, in Indonesian.
    public func lines() -> [String] {
        var lines = [
            "Langkah   " + "Tindakan".padding(toLength: 34, withPad: " ", startingAt: 0) + "Oleh".padding(toLength: 42, withPad: " ", startingAt: 0)
                + "Waktu (WIB)           Jam kerja   Standar"
        ]
        for entry in entries {
            let step =
                entry.steps.isEmpty
                ? "-" : "SOP " + (entry.steps.count > 1 ? "\(entry.steps[0].rawValue)-\(entry.steps.last!.rawValue)" : "\(entry.steps[0].rawValue)")
            let who = "\(entry.actor.id) (\(entry.actor.role.indonesianName))"
            let verdict = entry.standard == nil ? "(waktu pemohon)" : entry.breached ? "LEWAT STANDAR" : "dalam standar"
            lines.append(
                [
                    step.padding(toLength: 9, withPad: " ", startingAt: 0), entry.action.indonesianName.padding(toLength: 33, withPad: " ", startingAt: 0),
                    String(who.prefix(41)).padding(toLength: 41, withPad: " ", startingAt: 0),
                    WIBTime.format(entry.at).replacingOccurrences(of: " WIB", with: "").padding(toLength: 21, withPad: " ", startingAt: 0),
                    indonesianDuration(entry.elapsed).padding(toLength: 11, withPad: " ", startingAt: 0),
                    (entry.standard.map { "\(Int($0 / 60)) mnt" } ?? "-").padding(toLength: 9, withPad: " ", startingAt: 0), verdict,
                ].joined(separator: " ")
                    + (entry.waiting.map { " (menunggu \(indonesianDuration($0)), dikerjakan \(indonesianDuration(entry.elapsed - $0)))" } ?? ""))
        }
        let total = (entries.last?.at ?? created).timeIntervalSince(created)
        lines.append("Seluruhnya \(indonesianDuration(total)) sejak permohonan dibuat; \(breaches) langkah lewat standar.")
        return lines
    }
}
