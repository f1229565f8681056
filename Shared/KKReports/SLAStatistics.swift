import Foundation

/// Count, median, 90th percentile and breaches of a set of step durations
/// against their time standard.
///
/// Percentiles use the nearest-rank method (the value at rank ceil(p * n) of
/// the sorted durations), so every figure is a duration that really happened;
/// the median of an even count is the lower of the two middle values.
public struct SLAStatistics: Sendable, Equatable {
    public let count: Int
    public let median: TimeInterval
    public let p90: TimeInterval
    /// Steps that took longer than their standard.
    public let breaches: Int
    /// The steps whose waiting and work are known apart (the officer opened
    /// the request before acting), and their medians; 0 and nil when none.
    public let splitCount: Int
    public let medianWaiting: TimeInterval?
    public let medianWork: TimeInterval?

    /// `splits`: waiting and work of the samples where they are known apart.
    public init(samples: [(elapsed: TimeInterval, standard: TimeInterval)], splits: [(waiting: TimeInterval, work: TimeInterval)] = []) {
        let sorted = samples.map(\.elapsed).sorted()
        count = sorted.count
        median = Self.nearestRank(0.5, of: sorted)
        p90 = Self.nearestRank(0.9, of: sorted)
        breaches = samples.filter { $0.elapsed > $0.standard }.count
        splitCount = splits.count
        medianWaiting = splits.isEmpty ? nil : Self.nearestRank(0.5, of: splits.map(\.waiting).sorted())
        medianWork = splits.isEmpty ? nil : Self.nearestRank(0.5, of: splits.map(\.work).sorted())
    }

    /// Share of steps over the standard, 0...1 (0 when there are none).
    public var breachRate: Double { count == 0 ? 0 : Double(breaches) / Double(count) }

    static func nearestRank(_ p: Double, of sorted: [TimeInterval]) -> TimeInterval {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
