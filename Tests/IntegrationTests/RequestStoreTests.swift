import Foundation
import KKDomain
import KKReports
import KKStore
import KKTesting
import Postgres
import Testing

@Suite("The request record: event log and read model on the real PostgreSQL")
struct RequestStoreTests {
    static let applicant = Actor(role: .applicant, id: "wa-test")
    static let system = Actor(role: .system, id: "kk-intake")
    static let officer = Actor(role: .serviceOfficer, id: "siti")
    static let verifier = Actor(role: .verifier, id: "bambang")

    @Test("every transition appends one versioned event and moves the read model")
    func transitionsAppendEvents() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 2, logger: TestStack.logger)
        let id = try await pool.withTransaction { tx in
            let (record, _) = try await RequestStore.create(reason: .dataChange, applicantPhone: "6281234567890", actor: Self.applicant, in: tx)
            return record.id
        }
        for (action, actor) in [(RequestAction.submit, Self.system), (.open, Self.officer), (.enter, Self.officer), (.submitPrintRequest, Self.officer)] {
            try await pool.withTransaction { tx in _ = try await RequestStore.transition(id, action: action, by: actor, in: tx) }
        }
        let (record, events) = try await pool.withTransaction { tx in
            (try await RequestStore.load(id, in: tx), try await RequestStore.events(of: id, in: tx))
        }
        #expect(record.state == .printRequested)
        #expect(record.version == 5)
        #expect(record.preparedBy == "siti")
        #expect(events.map(\.version) == [1, 2, 3, 4, 5])
        #expect(events.compactMap(\.action) == [.submit, .open, .enter, .submitPrintRequest])
        #expect(events.last?.toState == .printRequested)
        #expect(events.last?.actor == Self.officer)
        await pool.close()
    }

    @Test("an illegal transition is refused and leaves no event behind")
    func illegalTransitionLeavesNoTrace() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 2, logger: TestStack.logger)
        let id = try await pool.withTransaction { tx in
            try await RequestStore.create(reason: .lost, applicantPhone: "6281111111111", actor: Self.applicant, in: tx).0.id
        }
        await #expect(throws: TransitionError.self) {
            try await pool.withTransaction { tx in _ = try await RequestStore.transition(id, action: .verify, by: Self.verifier, in: tx) }
        }
        let events = try await pool.withTransaction { tx in try await RequestStore.events(of: id, in: tx) }
        #expect(events.count == 1)
        await pool.close()
    }

    @Test("the verifier may not be the officer who prepared the draft (four eyes)")
    func fourEyes() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 2, logger: TestStack.logger)
        let id = try await pool.withTransaction { tx in
            try await RequestStore.create(reason: .lost, applicantPhone: "6281111111112", actor: Self.applicant, in: tx).0.id
        }
        for (action, actor) in [(RequestAction.submit, Self.system), (.open, Self.officer), (.submitPrintRequest, Self.officer)] {
            try await pool.withTransaction { tx in _ = try await RequestStore.transition(id, action: action, by: actor, in: tx) }
        }
        let sameOfficerAsVerifier = Actor(role: .verifier, id: "siti")
        await #expect(throws: TransitionError.fourEyesViolation(officer: "siti")) {
            try await pool.withTransaction { tx in _ = try await RequestStore.transition(id, action: .verify, by: sameOfficerAsVerifier, in: tx) }
        }
        try await pool.withTransaction { tx in _ = try await RequestStore.transition(id, action: .verify, by: Self.verifier, in: tx) }
        await pool.close()
    }

    @Test("two writers moving the same request at once: exactly one wins")
    func concurrentWritersCannotBothMove() async throws {
        let url = try await TestStack.freshDatabase()
        let pool = try await PostgresPool.connect(url: url, size: 4, logger: TestStack.logger)
        let id = try await pool.withTransaction { tx in
            try await RequestStore.create(reason: .damaged, applicantPhone: "6281111111113", actor: Self.applicant, in: tx).0.id
        }
        try await pool.withTransaction { tx in _ = try await RequestStore.transition(id, action: .submit, by: Self.system, in: tx) }
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for officer in ["siti", "agus"] {
                group.addTask {
                    do {
                        try await pool.withTransaction { tx in
                            _ = try await RequestStore.transition(id, action: .open, by: Actor(role: .serviceOfficer, id: officer), in: tx)
                        }
                        return true
                    } catch { return false }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        let events = try await pool.withTransaction { tx in try await RequestStore.events(of: id, in: tx) }
        #expect(events.filter { $0.action == .open }.count == 1)
        await pool.close()
    }

    @Test("the read model is rebuilt from the event log exactly as it was")
    func rebuildReadModel() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 2, logger: TestStack.logger)
        var ids: [UUID] = []
        for (i, reason) in [RequestReason.dataChange, .lost, .damaged, .dataChange].enumerated() {
            let id = try await pool.withTransaction { tx in
                try await RequestStore.create(reason: reason, applicantPhone: "62812000000\(i)0", actor: Self.applicant, in: tx).0.id
            }
            ids.append(id)
            let path: [(RequestAction, Actor)] = Array([(.submit, Self.system), (.open, Self.officer), (.returnIncomplete, Self.officer)].prefix(i + 1))
            for (action, actor) in path {
                try await pool.withTransaction { tx in _ = try await RequestStore.transition(id, action: action, by: actor, note: "catatan \(i)", in: tx) }
            }
        }
        let before = try await pool.withTransaction { tx in try await ids.asyncMap { try await RequestStore.load($0, in: tx) } }
        let rebuilt = try await pool.withTransaction { tx in try await RequestStore.rebuildReadModel(in: tx) }
        let after = try await pool.withTransaction { tx in try await ids.asyncMap { try await RequestStore.load($0, in: tx) } }
        #expect(rebuilt == 4)
        #expect(before == after)
        #expect(after.map(\.state) == [.submitted, .opened, .returnedIncomplete, .returnedIncomplete])
        await pool.close()
    }

    @Test("the event log is append-only: updating or deleting an event is refused by the database")
    func eventLogIsAppendOnly() async throws {
        let pool = try await PostgresPool.connect(url: try await TestStack.freshDatabase(), size: 1, logger: TestStack.logger)
        _ = try await pool.withTransaction { tx in
            try await RequestStore.create(reason: .lost, applicantPhone: "6281111111114", actor: Self.applicant, in: tx)
        }
        await #expect(throws: PostgresError.self) { try await pool.execute("UPDATE request_events SET note = 'x'") }
        await #expect(throws: PostgresError.self) { try await pool.execute("DELETE FROM request_events") }
        await pool.close()
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
