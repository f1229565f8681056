import Foundation
import KKConfiguration
import KKDomain
import KKStore

/// How the office did against the SOP's time standards over a period: per SOP
/// step, per officer and per kecamatan, the number of steps completed, their
/// median and 90th-percentile duration, and how many went over the standard.
///
/// A step counts in the period when it was completed in it. Its duration is
/// the working time since the request's previous event (the wait for the
/// actor plus the work, in the office calendar's open hours), as in
/// `kk-admin request show`; the applicant's own time after a return and
/// withdrawals are not measured. Where the acting officer opened the request
/// before acting (an audited `show`, `take`, ...), the step splits into the
/// working time it waited for the officer and the officer's work.
public struct SLAReport: Sendable {
    public struct Row: Sendable, Equatable {
        /// "SOP 3", an officer's username, or a kecamatan name.
        public let label: String
        /// The step's title, the officer's role, or the kecamatan code.
        public let detail: String
        /// The step's standard (per-step rows only; officers' and kecamatan's
        /// rows mix steps, each measured against its own standard).
        public let standard: TimeInterval?
        public let statistics: SLAStatistics
    }

    public let period: SLAPeriod
    /// Requests with at least one step completed in the period.
    public let requestCount: Int
    public let steps: [Row]
    public let officers: [Row]
    public let kecamatan: [Row]
    /// Every step completed in the period, each against its own standard.
    public let overall: SLAStatistics

    public init(period: SLAPeriod, requests: [SLARequest], calendar: OfficeCalendar = OfficeHours.calendar) {
        self.period = period
        var bySteps: [[SOPStep]: [RequestTimeline.Entry]] = [:]
        var byOfficer: [Actor: [RequestTimeline.Entry]] = [:]
        var byKecamatan: [SLARequest.Kecamatan: [RequestTimeline.Entry]] = [:]
        var counted = 0
        for request in requests {
            let measured = RequestTimeline(events: request.events, touches: request.touches, calendar: calendar).entries.filter {
                $0.standard != nil && $0.at >= period.start && $0.at < period.end
            }
            guard !measured.isEmpty else { continue }
            counted += 1
            for entry in measured {
                bySteps[entry.steps, default: []].append(entry)
                if Officer.officerRoles.contains(entry.actor.role) { byOfficer[entry.actor, default: []].append(entry) }
                byKecamatan[request.kecamatan, default: []].append(entry)
            }
        }
        requestCount = counted
        overall = Self.statistics(bySteps.values.flatMap { $0 })
        steps = bySteps.sorted { $0.key.first!.rawValue < $1.key.first!.rawValue }.map { steps, entries in
            Row(
                label: "SOP " + (steps.count > 1 ? "\(steps.first!.rawValue)-\(steps.last!.rawValue)" : "\(steps[0].rawValue)"),
                detail: steps.map(\.title).joined(separator: "; "), standard: entries[0].standard,
                statistics: Self.statistics(entries))
        }
        officers = byOfficer.sorted { $0.key.id < $1.key.id }.map { actor, entries in
            Row(label: actor.id, detail: actor.role.indonesianName, standard: nil, statistics: Self.statistics(entries))
        }
        kecamatan = byKecamatan.sorted { $0.key.sortKey < $1.key.sortKey }.map { place, entries in
            Row(label: place.name, detail: place.code.map(Region.dotted) ?? "-", standard: nil, statistics: Self.statistics(entries))
        }
    }

    static func statistics(_ entries: [RequestTimeline.Entry]) -> SLAStatistics {
        SLAStatistics(
            samples: entries.map { ($0.elapsed, $0.standard ?? .infinity) },
            splits: entries.compactMap { entry in entry.waiting.map { ($0, entry.elapsed - $0) } })
    }
}

/// One request as the report sees it: its events and where the family lives.
public struct SLARequest: Sendable {
    public struct Kecamatan: Sendable, Hashable {
        /// The six-digit Kemendagri code, nil while no KK number is known.
        public let code: String?
        public let name: String

        /// From the KK number's first six digits (province, regency, kecamatan).
        public init(kkNumber: String?) {
            guard let kkNumber, kkNumber.count >= 6 else {
                code = nil
                name = "Belum diketahui"
                return
            }
            let prefix = String(kkNumber.prefix(6))
            code = prefix
            let office = OfficeProfile.current
            name = office.kecamatan(code: prefix)?.name ?? "Di luar \(office.regencyTitle)"
        }

        var sortKey: String { code ?? "~" }
    }

    public let number: String
    public let kecamatan: Kecamatan
    public let events: [StoredEvent]
    /// The officers' audited commands on it, which split steps into waiting and work.
    public let touches: [OfficerTouch]

    public init(number: String, kecamatan: Kecamatan, events: [StoredEvent], touches: [OfficerTouch] = []) {
        self.number = number
        self.kecamatan = kecamatan
        self.events = events
        self.touches = touches
    }
}
