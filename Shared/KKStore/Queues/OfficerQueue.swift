import Foundation
import KKDomain
import Postgres

/// An officer's work queue: a request enters when the service consumes the
/// event that puts it there, one officer takes it, and it leaves when that
/// officer moves it on. Taking is what keeps two officers off one request.
public enum OfficerQueue: String, Sendable, CaseIterable {
    /// Complete requests waiting to be opened or returned (SOP 2).
    case intake = "penerimaan"
    case entry = "entri"
    case verification = "verifikasi"
    case signing = "tanda_tangan"
    case delivery = "cetak"
    /// Delivered KKs waiting for the print officer to archive them (SOP 10, when `KK_ARCHIVE_MODE=print-officer`).
    case archive = "arsip"

    /// "antrean entri data", for messages.
    public var indonesianName: String {
        switch self {
        case .intake: "antrean penerimaan berkas"
        case .entry: "antrean entri data"
        case .verification: "antrean verifikasi Kasi/Kabid"
        case .signing: "antrean tanda tangan Kepala Dinas"
        case .delivery: "antrean petugas cetak"
        case .archive: "antrean arsip petugas cetak"
        }
    }

    public struct Entry: Sendable, Equatable {
        public let requestID: UUID
        public let enteredAt: Date
        public let takenBy: String?
        public let takenAt: Date?
    }

    /// Puts a request in the queue (again: a request back after a return starts untaken).
    public func add(_ requestID: UUID, at time: Date = Date(), in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            INSERT INTO officer_queue (queue, request_id, entered_at) VALUES (\(rawValue), \(requestID), \(time))
            ON CONFLICT (queue, request_id) DO UPDATE SET entered_at = EXCLUDED.entered_at, taken_by = NULL, taken_at = NULL
            """)
    }

    public func remove(_ requestID: UUID, in tx: PostgresTransaction) async throws {
        try await tx.execute("DELETE FROM officer_queue WHERE queue = \(rawValue) AND request_id = \(requestID)")
    }

    /// Takes the request out of every queue (the applicant cancelled it).
    public static func withdraw(_ requestID: UUID, in tx: PostgresTransaction) async throws {
        try await tx.execute("DELETE FROM officer_queue WHERE request_id = \(requestID)")
    }

    public func entry(_ requestID: UUID, in tx: PostgresTransaction) async throws -> Entry? {
        try await tx.query(
            "SELECT * FROM officer_queue WHERE queue = \(rawValue) AND request_id = \(requestID) FOR UPDATE"
        ).rows.first.map(Self.entry(from:))
    }

    /// Takes the request for `officer`, or refuses when it is not in this queue
    /// or another officer has it. Taking it again is fine.
    @discardableResult
    public func take(_ request: RequestRecord, by officer: Officer, in tx: PostgresTransaction) async throws -> Entry {
        guard let entry = try await entry(request.id, in: tx) else {
            throw OfficerQueueError.notInQueue(number: request.number, queue: self, state: request.state)
        }
        if let holder = entry.takenBy {
            guard holder == officer.username else {
                throw OfficerQueueError.takenByOther(number: request.number, officer: holder, since: entry.takenAt ?? entry.enteredAt)
            }
            return entry
        }
        let now = Date()
        try await tx.execute(
            "UPDATE officer_queue SET taken_by = \(officer.username), taken_at = \(now) WHERE queue = \(rawValue) AND request_id = \(request.id)")
        return Entry(requestID: request.id, enteredAt: entry.enteredAt, takenBy: officer.username, takenAt: now)
    }

    /// Takes the request for `officer` when it waits in this queue (refused when another
    /// officer holds it); returns false, changing nothing, when it is not there.
    @discardableResult
    public func takeIfQueued(_ request: RequestRecord, by officer: Officer, in tx: PostgresTransaction) async throws -> Bool {
        guard try await entry(request.id, in: tx) != nil else { return false }
        try await take(request, by: officer, in: tx)
        return true
    }

    /// The queue, oldest first, with each request.
    public func list(in tx: PostgresTransaction) async throws -> [(entry: Entry, request: RequestRecord)] {
        try await tx.query(
            """
            SELECT q.queue, q.request_id, q.entered_at, q.taken_by, q.taken_at, r.*
            FROM officer_queue q JOIN requests r ON r.id = q.request_id
            WHERE q.queue = \(rawValue) ORDER BY q.entered_at, r.number
            """
        ).rows.map { row in (try Self.entry(from: row), try RequestStore.record(from: row)) }
    }

    static func entry(from row: PostgresRow) throws -> Entry {
        Entry(
            requestID: try row.decode("request_id", as: UUID.self), enteredAt: try row.decode("entered_at", as: Date.self),
            takenBy: try row.decode("taken_by", as: String?.self), takenAt: try row.decode("taken_at", as: Date?.self))
    }
}

/// Why an officer may not work on a request from a queue.
public enum OfficerQueueError: Error, Sendable, Equatable, OfficerFacingError {
    case notInQueue(number: String, queue: OfficerQueue, state: RequestState)
    case takenByOther(number: String, officer: String, since: Date)

    public var description: String {
        switch self {
        case let .notInQueue(number, queue, state):
            "Permohonan \(number) tidak ada di \(queue.indonesianName) (status: \(state.indonesianName)). "
                + "Bila baru saja diteruskan, tunggu sebentar lalu lihat antrean lagi."
        case let .takenByOther(number, officer, since):
            "Permohonan \(number) sedang ditangani oleh petugas '\(officer)' sejak \(WIBTime.format(since)); pilih permohonan lain dari antrean."
        }
    }
}
