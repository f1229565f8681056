import Foundation
import KKDomain
import Postgres

/// Who works a queue, and how a Kasi/Kabid moves a taken request (SOP: the
/// Kasi/Kabid supervises the officers' work).
extension OfficerQueue {
    /// The SOP role whose officers take requests from this queue.
    public var workerRole: Role {
        switch self {
        case .intake, .entry: .serviceOfficer
        case .verification: .verifier
        case .signing: .headOfDepartment
        case .delivery, .archive: .printOfficer
        }
    }

    /// The queue the request waits in now, with its entry (locked), if any.
    public static func holding(_ requestID: UUID, in tx: PostgresTransaction) async throws -> (queue: OfficerQueue, entry: Entry)? {
        let rows = try await tx.query("SELECT * FROM officer_queue WHERE request_id = \(requestID) FOR UPDATE").rows
        for row in rows {
            if let queue = OfficerQueue(rawValue: try row.decode("queue", as: String.self)) { return (queue, try entry(from: row)) }
        }
        return nil
    }

    /// Gives the request to `username`, or back to the queue untaken (nil).
    public func assign(_ requestID: UUID, to username: String?, in tx: PostgresTransaction) async throws {
        let takenAt: Date? = username == nil ? nil : Date()
        try await tx.execute(
            "UPDATE officer_queue SET taken_by = \(username), taken_at = \(takenAt) WHERE queue = \(rawValue) AND request_id = \(requestID)")
    }

    /// Releases every request `username` holds in any queue (the officer was disabled); returns how many.
    @discardableResult
    public static func releaseAll(of username: String, in tx: PostgresTransaction) async throws -> Int {
        try await tx.query(
            "UPDATE officer_queue SET taken_by = NULL, taken_at = NULL WHERE taken_by = \(username) RETURNING request_id"
        ).rows.count
    }
}
