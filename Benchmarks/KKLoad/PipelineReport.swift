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

    /// One automated hop: the messages of one topic to one consuming service.
    public struct KafkaHop: Sendable {
        public let topic: String
        public let consumer: String
        public let count: Int
        /// The producing transaction's start to the relay's mark of the broker's
        /// acknowledgement (the producer's own work, its commit and the relay).
        public let relay: (median: Double, p99: Double)
        /// The producing transaction's start to the consuming one's (the whole hop:
        /// relay, broker, the consumer's fetch and its queue).
        public let whole: (median: Double, p99: Double)
    }

    public let archived: Int
    /// From the first request's first event to the last request archived.
    public let seconds: Double
    public let hops: [Hop]
    /// Every automated hop, from the outbox and the inboxes (empty when not read).
    public var kafkaHops: [KafkaHop] = []
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
        var report = PipelineReport(
            archived: done.count, seconds: last.timeIntervalSince(first), hops: hops, peakMemoryKiB: peakMemoryKiB, cpuSeconds: cpuSeconds)
        report.kafkaHops = try await readKafkaHops(from: pool)
        return report
    }

    /// The automated hops of the run: every message a service committed to its
    /// outbox, matched by the envelope's id with each consumer's inbox entry.
    /// Both times are transaction starts (`now()`), so a hop counts the producing
    /// step's own work and not the consuming one's; chained, they add up.
    static func readKafkaHops(from pool: PostgresPool) async throws -> [KafkaHop] {
        let rows = try await pool.query(
            """
            SELECT o.topic, i.consumer,
                extract(epoch FROM o.sent_at - o.created_at)::float8 * 1000 AS relay_ms,
                extract(epoch FROM i.processed_at - o.created_at)::float8 * 1000 AS whole_ms
            FROM outbox o JOIN inbox i ON i.message_id = lower(convert_from(o.payload, 'UTF8')::jsonb ->> 'id')
            WHERE o.sent_at IS NOT NULL
            """
        ).rows
        struct Pair: Hashable, Comparable {
            let topic: String
            let consumer: String
            static func < (a: Pair, b: Pair) -> Bool { (a.topic, a.consumer) < (b.topic, b.consumer) }
        }
        var spans: [Pair: (relay: [Double], whole: [Double])] = [:]
        for row in rows {
            let pair = Pair(topic: try row.decode("topic", as: String.self), consumer: try row.decode("consumer", as: String.self))
            spans[pair, default: ([], [])].relay.append(try row.decode("relay_ms", as: Double.self))
            spans[pair, default: ([], [])].whole.append(try row.decode("whole_ms", as: Double.self))
        }
        return spans.sorted { $0.key < $1.key }.map { pair, value in
            let relay = value.relay.sorted()
            let whole = value.whole.sorted()
            return KafkaHop(
                topic: pair.topic, consumer: pair.consumer, count: whole.count, relay: (percentile(relay, 0.5), percentile(relay, 0.99)),
                whole: (percentile(whole, 0.5), percentile(whole, 0.99)))
        }
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
        if !kafkaHops.isEmpty {
            lines += [
                "",
                "automated hop (topic -> consumer)".padding(toLength: 46, withPad: " ", startingAt: 0)
                    + "      n   relay median / p99 ms   whole median / p99 ms",
            ]
            for hop in kafkaHops {
                lines.append(
                    "\(hop.topic) -> \(hop.consumer)".padding(toLength: 46, withPad: " ", startingAt: 0)
                        + String(format: " %6d %12.0f / %-8.0f %12.0f / %-8.0f", hop.count, hop.relay.median, hop.relay.p99, hop.whole.median, hop.whole.p99))
            }
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
