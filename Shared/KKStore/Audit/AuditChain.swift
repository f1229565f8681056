import Foundation
import Postgres

/// The audit log's hash chain (migration 0015): every row carries its
/// position, the hash of the row before it and its own hash, computed by the
/// database on insert. `verify` recomputes the chain and names the first row
/// where it breaks.
public enum AuditChain {
    /// Where the chain breaks, in the words an operator acts on.
    public enum Break: Equatable, Sendable, CustomStringConvertible {
        /// The row's fields no longer give its hash: it was changed after it was written.
        case altered(seq: Int64, id: Int64)
        /// The row does not follow the one before it: rows before it were removed or replaced.
        case unlinked(seq: Int64, id: Int64)
        /// Positions are missing between two rows: those rows were removed.
        case missing(after: Int64, before: Int64)

        public var description: String {
            switch self {
            case let .altered(seq, id): "entri audit #\(seq) (id \(id)) diubah setelah ditulis: isinya tidak lagi cocok dengan hash-nya"
            case let .unlinked(seq, id): "entri audit #\(seq) (id \(id)) tidak menyambung ke entri sebelumnya: entri sebelumnya dihapus atau diganti"
            case let .missing(after, before):
                after + 1 == before - 1
                    ? "entri audit #\(after + 1) hilang (dihapus)" : "entri audit #\(after + 1) sampai #\(before - 1) hilang (dihapus)"
            }
        }
    }

    public struct Report: Sendable {
        public let rows: Int
        public let firstBreak: Break?
    }

    /// Walks the chain in order; stops at the first break.
    public static func verify(pool: PostgresPool) async throws -> Report {
        let rows = try await pool.query(
            """
            SELECT seq, id, hash, prev_hash, audit_row_digest(prev_hash, a) AS expected FROM audit_log a ORDER BY seq
            """
        ).rows
        var previous: (seq: Int64, hash: [UInt8])?
        for row in rows {
            let seq = try row.decode("seq", as: Int64.self)
            let id = try row.decode("id", as: Int64.self)
            let hash = try row.decode("hash", as: [UInt8].self)
            let prev = try row.decode("prev_hash", as: [UInt8]?.self)
            if hash != (try row.decode("expected", as: [UInt8].self)) { return Report(rows: rows.count, firstBreak: .altered(seq: seq, id: id)) }
            let expectedSeq = (previous?.seq ?? 0) + 1
            if seq != expectedSeq { return Report(rows: rows.count, firstBreak: .missing(after: expectedSeq - 1, before: seq)) }
            if prev != previous?.hash { return Report(rows: rows.count, firstBreak: .unlinked(seq: seq, id: id)) }
            previous = (seq, hash)
        }
        return Report(rows: rows.count, firstBreak: nil)
    }
}
