import Crypto
import Foundation
import KKConfiguration
import KKDomain
import Postgres

/// The request aggregate in PostgreSQL: an append-only event log
/// (`request_events`, unique version per request) and the `requests` read model,
/// changed together in the caller's transaction.
public enum RequestStore {
    /// Opens a new request in `collectingDocuments` with its `kk.request.created` event.
    public static func create(
        id: UUID = UUID(), reason: RequestReason, event: ChangeEvent? = nil, applicantPhone: String, kkNumber: String? = nil,
        actor: Actor, at now: Date = Date(), in tx: PostgresTransaction
    ) async throws -> (RequestRecord, EventEnvelope) {
        // The read model keeps the event's time exactly, so a rebuild reproduces it.
        let time = EventTime.normalized(now)
        let sequence = try await tx.query("SELECT nextval('request_number_seq') AS n").rows[0].decode("n", as: Int64.self)
        let number = RequestNumber(date: CalendarDate(time), sequence: Int(sequence)).description
        let payload = RequestCreated(
            number: number, reason: reason, applicantRef: applicantRef(for: applicantPhone),
            applicantPhone: applicantPhone, kkNumber: kkNumber, event: reason == .dataChange ? event : nil)
        let envelope = EventEnvelope(payload: payload, requestId: id, actor: actor, occurredAt: time)
        try await append(envelope, version: 1, action: nil, from: nil, to: .collectingDocuments, note: nil, in: tx)
        let record = RequestRecord(
            id: id, number: number, reason: reason, changeEvent: payload.event, state: .collectingDocuments, version: 1,
            applicantRef: payload.applicantRef, applicantPhone: applicantPhone, kkNumber: kkNumber, preparedBy: nil,
            lastNote: nil, createdAt: time, updatedAt: time, stateEnteredAt: time)
        try await insertReadModel(record, in: tx)
        return (record, envelope)
    }

    /// Loads a request (locking its row when `forUpdate`).
    public static func load(_ id: UUID, forUpdate: Bool = false, in tx: PostgresTransaction) async throws -> RequestRecord {
        let lock: PostgresQuery = forUpdate ? "FOR UPDATE" : ""
        let rows = try await tx.query("SELECT * FROM requests WHERE id = \(id) \(unescaped: lock.sql)").rows
        guard let row = rows.first else { throw RequestStoreError.notFound(id.uuidString) }
        return try record(from: row)
    }

    /// Loads a request by the number the applicant and officers see.
    public static func load(number: String, forUpdate: Bool = false, in tx: PostgresTransaction) async throws -> RequestRecord {
        let lock: PostgresQuery = forUpdate ? "FOR UPDATE" : ""
        let rows = try await tx.query("SELECT * FROM requests WHERE number = \(number.uppercased()) \(unescaped: lock.sql)").rows
        guard let row = rows.first else { throw RequestStoreError.notFound(number) }
        return try record(from: row)
    }

    /// The id of the request with this number, nil when there is none (for the audit log of an officer command).
    public static func id(ofNumber number: String, pool: PostgresPool) async throws -> UUID? {
        try await pool.query("SELECT id FROM requests WHERE number = \(number.uppercased())").rows.first?.decode("id", as: UUID.self)
    }

    /// The request's context with everyone who ever entered its data or submitted
    /// it for printing, from the event log (returns and resubmissions included).
    static func fourEyesContext(_ record: RequestRecord, in tx: PostgresTransaction) async throws -> TransitionContext {
        let editors = try await tx.query(
            """
            SELECT DISTINCT actor_id FROM request_events
            WHERE request_id = \(record.id) AND action IN (\(RequestAction.enter.rawValue), \(RequestAction.submitPrintRequest.rawValue))
            """
        ).rows.map { try $0.decode("actor_id", as: String.self) }
        return TransitionContext(reason: record.reason, preparedBy: record.preparedBy, editors: Set(editors))
    }

    /// Takes one SOP transition: checks the state machine and the actor's role,
    /// appends the `kk.request.transitioned` event and updates the read model.
    @discardableResult
    public static func transition(
        _ id: UUID, action: RequestAction, by actor: Actor, note: String? = nil, at now: Date = Date(),
        in tx: PostgresTransaction
    ) async throws -> (RequestRecord, EventEnvelope) {
        let time = EventTime.normalized(now)
        var record = try await load(id, forUpdate: true, in: tx)
        let from = record.state
        var context = record.context
        if action == .verify || action == .rejectInvalid { context = try await fourEyesContext(record, in: tx) }
        let to = try RequestStateMachine.apply(action, to: from, by: actor, context: context)
        let payload = RequestTransitioned(
            action: action, from: from, to: to, note: note, step: action.completesStep)
        let envelope = EventEnvelope(payload: payload, requestId: id, actor: actor, occurredAt: time)
        let version = record.version + 1
        do {
            try await append(envelope, version: version, action: action, from: from, to: to, note: note, in: tx)
        } catch let error as PostgresError where error.isUniqueViolation {
            throw RequestStoreError.concurrentUpdate(number: record.number)
        }
        record.apply(action: action, to: to, actor: actor, note: note, version: version, at: time)
        try await tx.execute(
            """
            UPDATE requests SET state = \(to.rawValue), version = \(version), prepared_by = \(record.preparedBy),
                last_note = \(record.lastNote), updated_at = \(time), state_entered_at = \(time)
            WHERE id = \(id)
            """)
        return (record, envelope)
    }

    /// Every event of a request, oldest first.
    public static func events(of id: UUID, in tx: PostgresTransaction) async throws -> [StoredEvent] {
        try await tx.query(
            """
            SELECT version, event_id, event_type, schema_version, action, from_state, to_state, actor_role, actor_id,
                   note, payload::text AS payload, occurred_at
            FROM request_events WHERE request_id = \(id) ORDER BY version
            """
        ).rows.map(StoredEvent.init(row:))
    }

    /// Rebuilds the whole read model from the event log; returns the number of requests.
    @discardableResult
    public static func rebuildReadModel(in tx: PostgresTransaction) async throws -> Int {
        try await tx.execute("DELETE FROM requests")
        let rows = try await tx.query(
            """
            SELECT request_id, version, event_type, action, to_state, actor_role, actor_id, note,
                   payload::text AS payload, occurred_at
            FROM request_events ORDER BY request_id, version
            """
        ).rows
        var current: RequestRecord?
        var count = 0
        func flush() async throws {
            if let done = current {
                try await insertReadModel(done, in: tx)
                count += 1
            }
        }
        for row in rows {
            let id = try row.decode("request_id", as: UUID.self)
            let version = Int(try row.decode("version", as: Int32.self))
            let time = try row.decode("occurred_at", as: Date.self)
            if version == 1 {
                try await flush()
                let created = try JSONDecoder.kkEvents.decode(RequestCreated.self, from: Data(try row.decode("payload", as: String.self).utf8))
                current = RequestRecord(
                    id: id, number: created.number, reason: created.reason, changeEvent: created.event, state: .collectingDocuments, version: 1,
                    applicantRef: created.applicantRef, applicantPhone: created.applicantPhone, kkNumber: created.kkNumber,
                    preparedBy: nil, lastNote: nil, createdAt: time, updatedAt: time, stateEnteredAt: time)
                continue
            }
            guard var record = current, record.id == id,
                let action = try row.decode("action", as: String?.self).flatMap(RequestAction.init(rawValue:)),
                let to = RequestState(rawValue: try row.decode("to_state", as: String.self)),
                let role = Role(rawValue: try row.decode("actor_role", as: String.self))
            else { throw CorruptEventLog(requestID: id, version: version) }
            record.apply(
                action: action, to: to, actor: Actor(role: role, id: try row.decode("actor_id", as: String.self)),
                note: try row.decode("note", as: String?.self), version: version, at: time)
            current = record
        }
        try await flush()
        return count
    }

    /// The pseudonymous applicant id (see `ApplicantPseudonym`).
    public static func applicantRef(for phone: String) -> String {
        ApplicantPseudonym.ref(for: phone)
    }

    private static func append(
        _ envelope: EventEnvelope, version: Int, action: RequestAction?, from: RequestState?, to: RequestState,
        note: String?, in tx: PostgresTransaction
    ) async throws {
        let payload = String(decoding: try envelope.payloadJSON(), as: UTF8.self)
        try await tx.execute(
            """
            INSERT INTO request_events (request_id, version, event_id, event_type, schema_version, action, from_state,
                to_state, actor_role, actor_id, note, payload, occurred_at)
            VALUES (\(envelope.requestId), \(version), \(envelope.id), \(envelope.type), \(envelope.schemaVersion),
                \(action?.rawValue), \(from?.rawValue), \(to.rawValue), \(envelope.actor.role.rawValue), \(envelope.actor.id),
                \(note), \(payload)::jsonb, \(envelope.occurredAt))
            """)
    }

    private static func insertReadModel(_ r: RequestRecord, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            """
            INSERT INTO requests (id, number, reason, change_event, state, version, applicant_ref, applicant_phone, kk_number,
                prepared_by, last_note, created_at, updated_at, state_entered_at)
            VALUES (\(r.id), \(r.number), \(r.reason.rawValue), \(r.changeEvent?.rawValue), \(r.state.rawValue), \(r.version), \(r.applicantRef),
                \(r.applicantPhone), \(r.kkNumber), \(r.preparedBy), \(r.lastNote), \(r.createdAt), \(r.updatedAt),
                \(r.stateEnteredAt))
            """)
    }

    public static func record(from row: PostgresRow) throws -> RequestRecord {
        guard let reason = RequestReason(rawValue: try row.decode("reason", as: String.self)),
            let state = RequestState(rawValue: try row.decode("state", as: String.self))
        else { throw CorruptEventLog(requestID: try row.decode("id", as: UUID.self), version: 0) }
        return RequestRecord(
            id: try row.decode("id", as: UUID.self), number: try row.decode("number", as: String.self), reason: reason,
            changeEvent: try row.decode("change_event", as: String?.self).flatMap(ChangeEvent.init(rawValue:)), state: state,
            version: Int(try row.decode("version", as: Int32.self)),
            applicantRef: try row.decode("applicant_ref", as: String.self),
            applicantPhone: try row.decode("applicant_phone", as: String.self),
            kkNumber: try row.decode("kk_number", as: String?.self), preparedBy: try row.decode("prepared_by", as: String?.self),
            lastNote: try row.decode("last_note", as: String?.self), createdAt: try row.decode("created_at", as: Date.self),
            updatedAt: try row.decode("updated_at", as: Date.self), stateEnteredAt: try row.decode("state_entered_at", as: Date.self))
    }
}

extension RequestRecord {
    /// How one transition changes the read model; shared by live writes and rebuilds.
    mutating func apply(action: RequestAction, to: RequestState, actor: Actor, note: String?, version: Int, at time: Date) {
        state = to
        self.version = version
        if action == .enter || action == .submitPrintRequest { preparedBy = actor.id }
        if action == .resubmit { preparedBy = nil }
        lastNote = note
        updatedAt = time
        stateEnteredAt = time
    }
}

/// An event as stored in the log.
public struct StoredEvent: Sendable, Equatable {
    public let version: Int
    public let eventID: UUID
    public let type: String
    public let action: RequestAction?
    public let fromState: RequestState?
    public let toState: RequestState
    public let actor: Actor
    public let note: String?
    public let payload: String
    public let occurredAt: Date

    public init(row: PostgresRow) throws {
        version = Int(try row.decode("version", as: Int32.self))
        eventID = try row.decode("event_id", as: UUID.self)
        type = try row.decode("event_type", as: String.self)
        action = try row.decode("action", as: String?.self).flatMap(RequestAction.init(rawValue:))
        fromState = try row.decode("from_state", as: String?.self).flatMap(RequestState.init(rawValue:))
        toState = RequestState(rawValue: try row.decode("to_state", as: String.self)) ?? .collectingDocuments
        actor = Actor(
            role: Role(rawValue: try row.decode("actor_role", as: String.self)) ?? .system,
            id: try row.decode("actor_id", as: String.self))
        note = try row.decode("note", as: String?.self)
        payload = try row.decode("payload", as: String.self)
        occurredAt = try row.decode("occurred_at", as: Date.self)
    }
}

/// The log contradicts itself (should never happen: the log is append-only and versioned).
public struct CorruptEventLog: Error, CustomStringConvertible {
    public let requestID: UUID
    public let version: Int
    public var description: String {
        "The event log of request \(requestID) cannot be replayed at version \(version); restore it from the archive."
    }
}
