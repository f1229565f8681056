import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKSigning
import KKStore
import Postgres

/// Automated officers for load and fault runs: each polls the work of its SOP
/// role and does it through the real officer CLI (`.cli`) or the officer API
/// called from this process (`.api`), signed in with its own session, so every
/// step goes through the same transitions, checks and audit as a person's. An
/// action that fails (a database that is away, a request a crash left
/// half-done) is tried again on the next round.
public final class OfficerRobots: @unchecked Sendable {
    /// How the robots act: a CLI process per action, as people at their desks do
    /// (the fault run, which also puts the CLIs under faults), or officer API calls
    /// from this process (the benchmark, which measures the system, not start-up).
    public enum Channel: Sendable {
        case cli
        case api
    }

    public struct Officers: Sendable {
        public var serviceOfficer = "siti"
        public var verifier = "bambang"
        public var head = "wahyuni"
        public var printOfficer = "joko"
        public init() {}
    }

    let pool: PostgresPool
    let runner: CommandRunner
    let sessions: [String: String]
    let officers: Officers
    let interval: Duration
    /// Officers working each queue side by side (each takes its share of the requests).
    let parallel: Int
    let channel: Channel
    /// How many KK PDFs each applicant's phone holds: the print officer asks the applicant, a run
    /// asks the Graph API stand-in. Without it nobody works the print officer's queue.
    let pdfsReceived: (@Sendable () async throws -> [String: Int])?
    private let lock = NSLock()
    private var failures: [String] = []
    private var commands = 0
    private var tasks: [Task<Void, Never>] = []
    private var identity: SigningIdentity?
    private var tokens: [String: String] = [:]

    /// `sessions`: each officer's KK_SESSION_FILE (after `kk-admin login`).
    public init(
        pool: PostgresPool, runner: CommandRunner, sessions: [String: String], officers: Officers = Officers(),
        interval: Duration = .milliseconds(300), parallel: Int = 1, channel: Channel = .cli,
        pdfsReceived: (@Sendable () async throws -> [String: Int])? = nil
    ) {
        self.channel = channel
        self.pdfsReceived = pdfsReceived
        self.pool = pool
        self.runner = runner
        self.sessions = sessions
        self.officers = officers
        self.interval = interval
        self.parallel = max(1, parallel)
    }

    public func start() {
        tasks = (0..<parallel).flatMap { share in
            [
                loop { try await self.openSubmitted(share: share) },
                loop { try await self.enterAndSubmit(share: share) },
                loop { try await self.verify(share: share) },
            ]
        }
        // Through the API the Kepala Dinas' share of the queue is signed side by side too (her CLI signs the whole queue at once).
        let signers = channel == .api ? parallel : 1
        tasks += (0..<signers).map { share in loop { try await self.sign(share: share, of: signers) } }
        if pdfsReceived != nil { tasks.append(loop { try await self.settleDeliveries() }) }
    }

    public func stop() {
        tasks.forEach { $0.cancel() }
        tasks.removeAll()
    }

    /// The actions that failed (they were retried), with their output.
    public var failedCommands: [String] { lock.withLock { failures } }
    public var commandCount: Int { lock.withLock { commands } }

    private func loop(_ round: @escaping @Sendable () async throws -> Void) -> Task<Void, Never> {
        Task.detached { [interval] in
            while !Task.isCancelled {
                do { try await round() } catch {
                    // The database is away or restarting: next round.
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    // MARK: the SOP's roles

    /// SOP 2: the service officer opens each complete request.
    func openSubmitted(share: Int) async throws {
        for (number, _) in try await mine(
            share, waiting("SELECT number, reason FROM requests WHERE state = \(RequestState.submitted.rawValue) ORDER BY state_entered_at LIMIT 50"))
        {
            _ = await act(officers.serviceOfficer, .open(number))
        }
    }

    /// SOP 3-4: takes the request for the family its applicant was verified for (no `--kk`),
    /// enters a change when the reason has data entry, submits the print request.
    func enterAndSubmit(share: Int) async throws {
        for (number, reasonText) in try await mine(share, queue(.entry)) {
            let reason = RequestReason(rawValue: reasonText) ?? .damaged
            guard let kk = try await family(of: number), await act(officers.serviceOfficer, .take(number)) else { continue }
            // After a failed submit the data is already entered: an officer does not enter it again.
            let state = try await pool.query("SELECT state FROM requests WHERE number = \(number)").rows.first?.decode("state", as: String.self)
            if reason.hasDataEntry, state == RequestState.opened.rawValue {
                let head = try await pool.withTransaction { try await FamilyRegister.current(kk, in: $0).record.head }
                if let head {
                    let job = head.occupation.rawValue == "GURU" ? "WIRASWASTA" : "GURU"
                    guard await act(officers.serviceOfficer, .enterOccupation(number, member: head.nik.value, occupation: job)) else { continue }
                }
            }
            _ = await act(officers.serviceOfficer, .submit(number))
        }
    }

    /// SOP 5-6: the Kasi/Kabid approves each draft (not the officer who prepared it).
    func verify(share: Int) async throws {
        for (number, _) in try await mine(share, queue(.verification)) {
            _ = await act(officers.verifier, .approve(number))
        }
    }

    /// SOP 7: the Kepala Dinas signs everything in the queue (through the API, `share` of `signers` of it).
    func sign(share: Int, of signers: Int) async throws {
        let numbers = try await mine(share, queue(.signing), of: signers).map(\.0)
        guard !numbers.isEmpty else { return }
        switch channel {
        case .cli: _ = await cli(officers.head, "kk-sign", ["sign", "--all"])  // one process for the whole queue, as she would
        case .api: for number in numbers { _ = await act(officers.head, .sign(number)) }
        }
    }

    /// SOP 8-9 when WhatsApp's word is missing: a KK the gateway may have handed over when it
    /// stopped, or one WhatsApp kept refusing, waits for the print officer. She asks the applicant
    /// whether it arrived and sends it again only when it did not (when it did, WhatsApp's
    /// receipt settles it).
    func settleDeliveries() async throws {
        guard let pdfsReceived else { return }
        let waiting = try await pool.query(
            """
            SELECT r.number, r.applicant_phone FROM deliveries d JOIN requests r ON r.id = d.request_id
            WHERE d.state = ANY(\(PostgresTextArray(DeliveryState.withOfficer))) ORDER BY d.updated_at LIMIT 50
            """
        ).rows.map { (try $0.decode("number", as: String.self), try $0.decode("applicant_phone", as: String.self)) }
        guard !waiting.isEmpty else { return }
        let received = try await pdfsReceived()
        for (number, phone) in waiting where received[phone, default: 0] == 0 {
            _ = await act(officers.printOfficer, .resend(number))
        }
    }

    // MARK: helpers

    /// The requests of officer `share` of `parallel`: split by the request number's sequence.
    func mine(_ share: Int, _ work: [(String, String)], of officers: Int? = nil) -> [(String, String)] {
        let officers = officers ?? parallel
        return work.filter { Int($0.0.suffix(6)).map { $0 % officers == share } ?? (share == 0) }
    }

    func queue(_ queue: OfficerQueue) async throws -> [(String, String)] {
        try await waiting(
            """
            SELECT r.number, r.reason FROM officer_queue q JOIN requests r ON r.id = q.request_id
            WHERE q.queue = \(queue.rawValue) ORDER BY q.entered_at LIMIT 50
            """)
    }

    func waiting(_ query: PostgresQuery) async throws -> [(String, String)] {
        try await pool.query(query).rows.map { (try $0.decode("number", as: String.self), try $0.decode("reason", as: String.self)) }
    }

    /// The family the request's applicant was verified as a member of.
    func family(of number: String) async throws -> String? {
        try await pool.query(
            "SELECT i.kk_number FROM applicant_identities i JOIN requests r ON r.id = i.request_id WHERE r.number = \(number)"
        ).rows.first?.decode("kk_number", as: String?.self)
    }

    /// Does `action` as `officer` by the robots' channel; false (and recorded) when it failed.
    func act(_ officer: String, _ action: OfficerAction) async -> Bool {
        switch channel {
        case .cli: return await cli(officer, action.service.name, action.arguments)
        case .api:
            do {
                try await action.perform(on: try session(of: officer, on: action.service)) { try self.signingIdentity() }
                lock.withLock { commands += 1 }
                return true
            } catch {
                lock.withLock {
                    commands += 1
                    failures.append("\(officer): \(action.service.name) \(action.arguments.joined(separator: " ")) -> \(error)")
                }
                return false
            }
        }
    }

    /// `officer`'s session on `service`'s officer API: the token file is read once per officer.
    func session(of officer: String, on service: OfficerService) throws -> OfficerAPISession {
        let token = try lock.withLock { () throws -> String in
            if let token = tokens[officer] { return token }
            guard let token = try SessionTokenFile.read(environment: ["KK_SESSION_FILE": sessions[officer] ?? ""]) else {
                throw LoadError.gaveUp("find the session of \(officer)")
            }
            tokens[officer] = token
            return token
        }
        return OfficerAPISession(client: try OfficerAPIClient(service: service, environment: runner.environment), token: token)
    }

    /// The Kepala Dinas' key and certificate, read once (decrypting the key costs a key derivation), as her CLI reads them once per run.
    func signingIdentity() throws -> SigningIdentity {
        try lock.withLock {
            if let identity { return identity }
            let loaded = try SigningIdentity.load(environment: runner.environment)
            identity = loaded
            return loaded
        }
    }

    func cli(_ officer: String, _ tool: String, _ arguments: [String]) async -> Bool {
        let outcome = try? await runner.run(tool, arguments, extra: ["KK_SESSION_FILE": sessions[officer] ?? ""])
        lock.withLock {
            commands += 1
            if outcome?.succeeded != true {
                failures.append(
                    "\(officer): \(tool) \(arguments.joined(separator: " ")) -> \(outcome.map { "\($0.status): \($0.output.suffix(400))" } ?? "did not run")")
            }
        }
        return outcome?.succeeded == true
    }
}
