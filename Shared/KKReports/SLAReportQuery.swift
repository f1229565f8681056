import Foundation
import KKStore
import Postgres

/// Reads what an `SLAReport` needs from the event log: every request with a
/// step completed in the period, with all its events (earlier ones too, to
/// measure the first step in the period) and its KK number.
public enum SLAReportQuery {
    public static func load(_ period: SLAPeriod, in tx: PostgresTransaction) async throws -> SLAReport {
        let rows = try await tx.query(
            """
            WITH touched AS (
                SELECT DISTINCT request_id FROM request_events
                WHERE occurred_at >= \(period.start) AND occurred_at < \(period.end) AND action IS NOT NULL
            )
            SELECT e.request_id, e.version, e.event_id, e.event_type, e.schema_version, e.action, e.from_state, e.to_state,
                   e.actor_role, e.actor_id, e.note, e.payload::text AS payload, e.occurred_at, r.number,
                   COALESCE(r.kk_number, (SELECT d.kk_number FROM family_drafts d WHERE d.request_id = r.id)) AS kk_number
            FROM request_events e JOIN touched t ON t.request_id = e.request_id JOIN requests r ON r.id = e.request_id
            ORDER BY e.request_id, e.version
            """
        ).rows
        let touches = Dictionary(grouping: try await OfficerTouch.ofRequestsActive(from: period.start, to: period.end, in: tx), by: \.requestID)
        var requests: [SLARequest] = []
        var current: (id: UUID, number: String, kk: String?, events: [StoredEvent])?
        for row in rows {
            let id = try row.decode("request_id", as: UUID.self)
            if current?.id != id {
                if let done = current {
                    requests.append(SLARequest(number: done.number, kecamatan: .init(kkNumber: done.kk), events: done.events, touches: touches[done.id] ?? []))
                }
                current = (id, try row.decode("number", as: String.self), try row.decode("kk_number", as: String?.self), [])
            }
            current!.events.append(try StoredEvent(row: row))
        }
        if let done = current {
            requests.append(SLARequest(number: done.number, kecamatan: .init(kkNumber: done.kk), events: done.events, touches: touches[done.id] ?? []))
        }
        return SLAReport(period: period, requests: requests)
    }
}
