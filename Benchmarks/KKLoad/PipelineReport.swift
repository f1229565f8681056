import Foundation
import KKDomain
import Postgres

/// What a pipeline run achieved, read from the event log: requests archived
/// per second end to end, and per hop of the SOP the median and 99th
/// percentile of the time between the events that begin and end it.
public struct PipelineReport: Sendable {
    public struct Hop: Sendable {
        public let name: String
        public let count: Int
        public let median: Double
        public let p99: Double
    }

    public let archived: Int
    /// From the first request's first event to the last request archived.
    public let seconds: Double
    public let hops: [Hop]
    public let peakMemoryKiB: [String: Int]
    /// CPU seconds each service's processes used during the run (empty when not sampled).
    public let cpuSeconds: [String: Double]

    public var requestsPerSecond: Double { seconds > 0 ? Double(archived) / seconds : 0 }

    /// The hops, as pairs of the actions that begin and end them.
    static let hops: [(String, RequestAction?, RequestAction)] = [
        ("SOP 1 pemohon: permohonan dibuat -> lengkap", nil, .submit),
        ("SOP 2 dibuka petugas", .submit, .open),
        ("SOP 3-4 entri + pengajuan cetak", .open, .submitPrintRequest),
        ("SOP 5-6 verifikasi Kasi/Kabid", .submitPrintRequest, .verify),
        ("SOP 7 TTE Kepala Dinas", .verify, .sign),
        ("SOP 8-9 PDF terkirim & diterima", .sign, .deliver),
        ("SOP 10 arsip", .deliver, .archive),
    ]

    public static func read(from pool: PostgresPool, peakMemoryKiB: [String: Int], cpuSeconds: [String: Double] = [:]) async throws -> PipelineReport {
        let rows = try await pool.query(
            "SELECT request_id, version, action, occurred_at FROM request_events ORDER BY request_id, version"
        ).rows
        var byRequest: [UUID: (created: Date, actions: [RequestAction: Date])] = [:]
        for row in rows {
            let id = try row.decode("request_id", as: UUID.self)
            let time = try row.decode("occurred_at", as: Date.self)
            var entry = byRequest[id] ?? (time, [:])
            if let text = try row.decode("action", as: String?.self), let action = RequestAction(rawValue: text), entry.actions[action] == nil {
                entry.actions[action] = time
            }
            byRequest[id] = entry
        }
        let done = byRequest.values.filter { $0.actions[.archive] != nil }
        let first = byRequest.values.map(\.created).min() ?? Date()
        let last = done.compactMap { $0.actions[.archive] }.max() ?? first
        var hops: [Hop] = []
        for (name, from, to) in Self.hops {
            let spans = done.compactMap { request -> Double? in
                guard let end = request.actions[to] else { return nil }
                let start = from.flatMap { request.actions[$0] } ?? request.created
                return end.timeIntervalSince(start) * 1000
            }.sorted()
            hops.append(Hop(name: name, count: spans.count, median: percentile(spans, 0.5), p99: percentile(spans, 0.99)))
        }
        let whole = done.compactMap { r in r.actions[.archive].map { $0.timeIntervalSince(r.actions[.submit] ?? r.created) * 1000 } }.sorted()
        hops.append(Hop(name: "ujung ke ujung: lengkap -> arsip", count: whole.count, median: percentile(whole, 0.5), p99: percentile(whole, 0.99)))
        return PipelineReport(
            archived: done.count, seconds: last.timeIntervalSince(first), hops: hops, peakMemoryKiB: peakMemoryKiB, cpuSeconds: cpuSeconds)
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The report as text tables.
    public var text: String {
        var lines = [
            String(format: "%d requests archived in %.1f s: %.2f requests/s end to end", archived, seconds, requestsPerSecond),
            "",
            "hop".padding(toLength: 46, withPad: " ", startingAt: 0) + "      n   median ms      p99 ms",
        ]
        for hop in hops {
            lines.append(hop.name.padding(toLength: 46, withPad: " ", startingAt: 0) + String(format: " %6d %11.0f %11.0f", hop.count, hop.median, hop.p99))
        }
        lines += ["", "service        peak RSS (MiB, highest replica)   CPU s (all replicas)"]
        for (service, kib) in peakMemoryKiB.sorted(by: { $0.key < $1.key }) {
            lines.append(
                service.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: " %8.1f", Double(kib) / 1024)
                    + (cpuSeconds[service].map { String(format: " %32.1f", $0) } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
