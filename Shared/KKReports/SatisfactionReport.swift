import Foundation
import Postgres

/// The Survei Kepuasan Masyarakat (SKM) of the KK service for a period: the
/// 1-5 scores applicants gave when their request closed, as counts, the
/// average, and the satisfaction index (IKM, the average on a 0-100 scale)
/// with its grade from the PermenPANRB 14/2017 intervals.
public struct SatisfactionReport: Sendable, Equatable {
    public let period: SLAPeriod
    /// How many requests were scored with 1, 2, 3, 4 and 5.
    public let counts: [Int: Int]

    public init(period: SLAPeriod, counts: [Int: Int]) {
        self.period = period
        self.counts = counts
    }

    public var respondents: Int { counts.values.reduce(0, +) }

    /// The mean score (1-5); nil without respondents.
    public var average: Double? {
        guard respondents > 0 else { return nil }
        return Double(counts.map { $0.key * $0.value }.reduce(0, +)) / Double(respondents)
    }

    /// The index on 0-100 (the average score over the best score).
    public var index: Double? { average.map { $0 / 5 * 100 } }

    /// The grade of the index (PermenPANRB 14/2017): A Sangat Baik from 88.31,
    /// B Baik from 76.61, C Kurang Baik from 65.00, D Tidak Baik below.
    public var grade: String? {
        guard let index else { return nil }
        switch (index * 100).rounded() / 100 {
        case 88.31...: return "A (Sangat Baik)"
        case 76.61...: return "B (Baik)"
        case 65.00...: return "C (Kurang Baik)"
        default: return "D (Tidak Baik)"
        }
    }

    /// The scores given in `period` (by when they were given, Western Indonesian Time).
    public static func load(_ period: SLAPeriod, in tx: PostgresTransaction) async throws -> SatisfactionReport {
        let rows = try await tx.query(
            """
            SELECT score, count(*)::bigint AS n FROM satisfaction_scores
            WHERE scored_at >= \(period.start) AND scored_at < \(period.end) GROUP BY score
            """
        ).rows
        var counts: [Int: Int] = [:]
        for row in rows { counts[Int(try row.decode("score", as: Int16.self))] = Int(try row.decode("n", as: Int64.self)) }
        return SatisfactionReport(period: period, counts: counts)
    }

    /// The report as the head of department reads it.
    public var text: String {
        let labels = [1: "sangat tidak puas", 2: "tidak puas", 3: "cukup", 4: "puas", 5: "sangat puas"]
        var lines = ["Survei Kepuasan Masyarakat (SKM) layanan KK lewat WhatsApp", "Periode: \(period.description) (WIB)", ""]
        lines.append("Jumlah responden: \(respondents)")
        for score in 1...5 {
            lines.append("  \(score) (\(labels[score]!)): \(counts[score] ?? 0)")
        }
        if let average, let index, let grade {
            lines.append(String(format: "Rata-rata nilai: %.2f dari 5", average))
            lines.append(String(format: "Indeks Kepuasan Masyarakat (IKM): %.2f", index))
            lines.append("Mutu pelayanan: \(grade)")
        } else {
            lines.append("Belum ada penilaian pada periode ini.")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
