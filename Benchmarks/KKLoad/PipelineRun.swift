import Foundation
import KKDomain
import KKHTTP
import KKOfficerAPI
import KKOfficerCLI
import KKOfficers
import KKStore
import Logging
import Postgres

/// One run of the whole pipeline on the local stack, in a database and topic
/// namespace of its own: the Graph API sandbox (Meta's stand-in, which also
/// plays the phones' delivery receipts), the gateway, every service with the
/// replicas asked for, automated officers on the real CLIs, and applicants on
/// the webhook. Used by `kk-bench pipeline` and by the fault tests.
public final class PipelineRun: @unchecked Sendable {
    public struct Settings: Sendable {
        /// The PostgreSQL URL of the local stack; the run makes a database of its own beside it.
        public var databaseURL: String
        public var brokers: String
        public var binDirectory: URL
        public var workDirectory: URL
        /// Replicas per service (the gateway always runs one: it owns the webhook port).
        public var replicas: [String: Int]
        public var extraEnvironment: [String: String] = [:]
        /// Officer robots working each queue side by side.
        public var officersPerQueue = 1
        /// How the officers act: the CLIs as processes (the fault run) or the officer API from this process (the benchmark).
        public var officerChannel = OfficerRobots.Channel.cli
        /// How often each robot looks at its queue when it found nothing to do.
        public var officerInterval = Duration.milliseconds(300)
        /// The share of Graph API calls the sandbox fails (429, 5xx, slow, no answer in time), in percent, and its seed.
        public var graphChaosPercent: Double = 0
        public var graphChaosSeed: UInt64 = 1
        /// Runs kk-admin serve and signs in an administrator, for `recoverFromBrokerLoss`.
        public var withAdministrator = false

        public static let services = ["kk-intake", "kk-entry", "kk-verify", "kk-sign", "kk-deliver", "kk-archive"]

        public init(databaseURL: String, brokers: String, binDirectory: URL, workDirectory: URL, replicas: [String: Int] = [:]) {
            self.databaseURL = databaseURL
            self.brokers = brokers
            self.binDirectory = binDirectory
            self.workDirectory = workDirectory
            self.replicas = replicas
        }
    }

    static let password = "kata-sandi-robot"
    static let passphrase = "frasa-sandi-uji-beban"
    static let appSecret = "rahasia-uji-beban"
    static let phoneNumberID = "1234567890"

    public let settings: Settings
    public let databaseURL: String
    public let databaseName: String
    public let topicPrefix: String
    public let pool: PostgresPool
    public let fleet: ProcessFleet
    public let runner: CommandRunner
    public let player: ApplicantPlayer
    public private(set) var robots: OfficerRobots?
    /// What each applicant writes when asked who they are ("NIK ... KK ..."): the heads of the register's families.
    private(set) var identities: [String] = []
    public let environment: [String: String]
    /// The officer API port of each replica, per service that has one.
    let apiPorts: [String: [Int]]
    let logger: Logger

    private init(
        settings: Settings, databaseURL: String, databaseName: String, topicPrefix: String, pool: PostgresPool, environment: [String: String],
        apiPorts: [String: [Int]], player: ApplicantPlayer, logger: Logger
    ) throws {
        self.apiPorts = apiPorts
        self.settings = settings
        self.databaseURL = databaseURL
        self.databaseName = databaseName
        self.topicPrefix = topicPrefix
        self.pool = pool
        self.environment = environment
        self.player = player
        self.logger = logger
        self.runner = CommandRunner(binDirectory: settings.binDirectory, environment: environment)
        // The services never get the Kepala Dinas' key: only her CLI (the runner) signs.
        self.fleet = try ProcessFleet(
            binDirectory: settings.binDirectory, logDirectory: settings.workDirectory.appendingPathComponent("logs"),
            environment: environment.filter { !Self.signerOnlyVariables.contains($0.key) })
    }

    /// What only the Kepala Dinas' CLI reads.
    static let signerOnlyVariables: Set<String> = ["KK_SIGN_CERT", "KK_SIGN_KEY", "KK_SIGN_KEY_PASSPHRASE", "KK_SIGN_KEY_PASSPHRASE_FILE"]

    /// Makes the database (migrated), the topics, the register (`families` families), the
    /// officers with their sessions, and the Kepala Dinas' development keys.
    public static func prepare(_ settings: Settings, families: Int) async throws -> PipelineRun {
        var logger = Logger(label: "kk-load")
        logger.logLevel = .warning
        let token = UUID().uuidString.prefix(8).lowercased()
        let name = "kk_load_\(token)"
        let admin = try await PostgresConnection.connect(url: settings.databaseURL, logger: logger)
        _ = try await admin.simpleQuery("CREATE DATABASE \(name)")
        await admin.close()
        guard var components = URLComponents(string: settings.databaseURL) else { throw LoadError.gaveUp("read KK_DATABASE_URL as a URL") }
        components.path = "/\(name)"
        let url = components.string ?? settings.databaseURL
        let pool = try await PostgresPool.connect(url: url, size: 4, logger: logger)
        _ = try await ProjectMigrations.apply(pool: pool, logger: logger)

        let work = settings.workDirectory
        try FileManager.default.createDirectory(at: work.appendingPathComponent("sessions"), withIntermediateDirectories: true)
        let keys = work.appendingPathComponent("keys")
        let sandboxPort = Self.freePort()
        let gatewayPort = Self.freePort()
        let prefix = "load\(token)."
        var environment: [String: String] = [
            "KK_DATABASE_URL": url, "KK_KAFKA_BROKERS": settings.brokers, "KK_TOPIC_PREFIX": prefix, "KK_HTTP_PORT": "0", "KK_PUBLIC_VERIFY_PORT": "0",
            "KK_LOG_FORMAT": "text", "KK_LOG_LEVEL": "info",
            "KK_GATEWAY_PORT": String(gatewayPort), "KK_WA_GRAPH_URL": "http://127.0.0.1:\(sandboxPort)",
            "KK_WA_PHONE_NUMBER_ID": Self.phoneNumberID, "KK_WA_TOKEN": "token-uji-beban", "KK_WA_APP_SECRET": Self.appSecret,
            "KK_WA_VERIFY_TOKEN": "verifikasi", "KK_WA_SEND_BACKOFF_MS": "100",
            "KK_SIGN_CERT": keys.appendingPathComponent("signer.pem").path, "KK_SIGN_KEY": keys.appendingPathComponent("signer-key.pem").path,
            "KK_SIGN_CA": keys.appendingPathComponent("ca.pem").path, "KK_SIGN_KEY_PASSPHRASE": Self.passphrase,
            "KK_ARCHIVE_TARGETS": ["server", "hdd", "flash"].map { "\($0)=\(work.appendingPathComponent("arsip/\($0)").path)" }.joined(separator: ","),
            "KK_ARCHIVE_POLL_MS": "500", "KK_ARCHIVE_RETRY_SECONDS": "2",
            "KK_DELIVERY_POLL_MS": "500",
        ]
        // Each replica of a service with an officer API listens on a port of its own; the CLIs use the first.
        var apiPorts: [String: [Int]] = [:]
        for service in [OfficerService.intake, .entry, .verify, .sign, .deliver, .archive, .admin] {
            apiPorts[service.name] = (0..<max(1, settings.replicas[service.name] ?? 1)).map { _ in Self.freePort() }
            environment[service.urlVariable] = "http://127.0.0.1:\(apiPorts[service.name]![0])"
        }
        environment.merge(settings.extraEnvironment) { _, new in new }
        var player = ApplicantPlayer(
            gatewayURL: URL(string: "http://127.0.0.1:\(gatewayPort)/webhook")!, sandboxURL: URL(string: "http://127.0.0.1:\(sandboxPort)")!,
            appSecret: Self.appSecret, phoneNumberID: Self.phoneNumberID)
        player.agreementRecorded = { [pool, patience = player.patience] phone in
            let deadline = ContinuousClock.now + patience
            // The database may be away for a while in a fault run: keep asking until the deadline.
            while (try? await ApplicantConsents.hasAgreed(RequestStore.applicantRef(for: phone), in: pool)) != true {
                guard ContinuousClock.now < deadline else { throw LoadError.gaveUp("waiting for the agreement of \(phone) to the privacy notice") }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let run = try PipelineRun(
            settings: settings, databaseURL: url, databaseName: name, topicPrefix: prefix, pool: pool, environment: environment, apiPorts: apiPorts,
            player: player, logger: logger)

        try await run.must("kk-admin", ["topics", "create"])
        // The harness prepares the office with the owner's credential: the sample
        // register and the officers' sessions (in production an administrator's
        // `kk-admin register`/`officer` commands and each officer's `login`).
        let records = SampleFamilies.generate(count: families, seed: 2026, today: CalendarDate(Date()))
        try await pool.withTransaction { tx in
            for record in records { try await FamilyRegister.append(record, source: .sample, in: tx) }
        }
        // Each applicant is the head of a family of the register, in turn.
        run.identities = records.compactMap { record in record.head.map { "NIK \($0.nik.value) KK \(record.kkNumber.value)" } }
        try await run.must("kk-dev", ["keygen", "--out", keys.path, "--name", "Dr. Hj. Sri Wahyuni, M.Si.", "--nip", "197005121995032004"])
        let directory = OfficerDirectory(pool: pool)
        _ = try await directory.add(username: "siti", fullName: "Siti Rahayu", nip: "198507122010012001", role: .serviceOfficer, password: Self.password)
        _ = try await directory.add(username: "bambang", fullName: "Bambang Suryanto", nip: "197803152005011002", role: .verifier, password: Self.password)
        _ = try await directory.add(
            username: "wahyuni", fullName: "Dr. Hj. Sri Wahyuni, M.Si.", nip: "197005121995032004", role: .headOfDepartment, password: Self.password)
        _ = try await directory.add(username: "joko", fullName: "Joko Santoso", nip: "198804042012011005", role: .printOfficer, password: Self.password)
        var sessions: [String: String] = [:]
        if settings.withAdministrator {
            _ = try await directory.add(username: "rina", fullName: "Rina Marlina", nip: "199001012015032001", role: .admin, password: Self.password)
        }
        for officer in ["siti", "bambang", "wahyuni", "joko"] + (settings.withAdministrator ? ["rina"] : []) {
            let file = work.appendingPathComponent("sessions/\(officer)").path
            sessions[officer] = file
            let signedIn = try await directory.signIn(username: officer, password: Self.password, service: "kk-load")
            try SessionTokenFile.write(try await directory.createSession(for: signedIn, service: "kk-load"), environment: ["KK_SESSION_FILE": file])
        }
        run.robots = OfficerRobots(
            pool: pool, runner: run.runner, sessions: sessions, interval: settings.officerInterval, parallel: settings.officersPerQueue,
            channel: settings.officerChannel, pdfsReceived: { [weak run] in try await run?.documentsSent() ?? [:] })
        return run
    }

    /// Starts the sandbox, the gateway and every service's replicas, then the officers (unless `officers` is false).
    public func start(officers: Bool = true) async throws {
        let sandboxPort = environment["KK_WA_GRAPH_URL"]!.split(separator: ":").last!
        try await fleet.launch(
            "kk-dev", as: "graph-sandbox",
            arguments: [
                "sandbox", "--port", String(sandboxPort), "--receipts-to", player.gatewayURL.absoluteString,
                "--receipt-delay-ms", "0",  // the phone's delay is not the system's
                // A receipt no gateway was up to take is tried again within a second of one being up.
                "--receipt-retry-max-ms", "1000",
                "--chaos-percent", String(settings.graphChaosPercent), "--chaos-seed", String(settings.graphChaosSeed),
                "--chaos-slow-ms", "500", "--chaos-hang-ms", String(Self.graphHangMilliseconds),
            ],
            marker: "listening on")
        try await fleet.launch("kk-gateway")
        for service in Settings.services {
            for replica in 0..<max(1, settings.replicas[service] ?? 1) {
                try await fleet.launch(service, extra: apiPorts[service].map { ["KK_API_PORT": String($0[replica])] } ?? [:])
            }
        }
        if settings.withAdministrator { try await fleet.launch("kk-admin", extra: ["KK_API_PORT": String(apiPorts["kk-admin"]![0])]) }
        fleet.startSampling()
        fleet.startSupervising()
        if officers { robots?.start() }
    }

    /// `count` applicants (numbers `first` on), `concurrency` at a time, the reasons taken in turn; returns each phone's reason.
    @discardableResult
    public func play(
        requests count: Int, concurrency: Int, from first: Int = 0, reasons: [RequestReason] = [.damaged, .lost, .dataChange],
        firstPhone: Int = 6_281_500_000_000
    ) async throws -> [String: RequestReason] {
        let applicants = (first..<first + count).map { applicant($0, reasons: reasons, firstPhone: firstPhone) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = applicants.makeIterator()
            for _ in 0..<concurrency {
                guard let (phone, reason, identity) = next.next() else { break }
                group.addTask { try await self.player.play(phone: phone, reason: reason, identity: identity) }
            }
            while try await group.next() != nil {
                guard let (phone, reason, identity) = next.next() else { continue }
                group.addTask { try await self.player.play(phone: phone, reason: reason, identity: identity) }
            }
        }
        return Dictionary(uniqueKeysWithValues: applicants.map { ($0.0, $0.1) })
    }

    /// `count` applicants arriving open-loop at `rate` per second on average (Poisson: exponential
    /// gaps drawn from `seed`), each starting when due whatever the office's backlog; returns when
    /// every one has sent everything. Returns the offered rate of the draw (requests over the span of arrivals).
    @discardableResult
    public func play(requests count: Int, rate: Double, seed: UInt64 = 2026, reasons: [RequestReason] = [.damaged, .lost, .dataChange])
        async throws -> Double
    {
        var generator = SplitMix64(seed: seed)
        let start = ContinuousClock.now
        var due = start
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                let gap = -log(1 - Double.random(in: 0..<1, using: &generator)) / rate
                due = due + .milliseconds(gap * 1000)
                try await Task.sleep(until: due)
                let (phone, reason, identity) = applicant(index, reasons: reasons)
                group.addTask { try await self.player.play(phone: phone, reason: reason, identity: identity) }
            }
            try await group.waitForAll()
        }
        return Double(count) / max(0.001, (due - start).seconds)
    }

    /// Applicant number `index`: a phone of their own, the reasons taken in turn, a head of family of the register.
    func applicant(_ index: Int, reasons: [RequestReason], firstPhone: Int = 6_281_500_000_000) -> (String, RequestReason, String) {
        (String(firstPhone + index), reasons[index % reasons.count], identities[index % identities.count])
    }

    /// Waits until `count` requests are archived; throws with the states of the others after `timeout`.
    public func waitUntilArchived(_ count: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var states: [String: Int] = [:]
        while ContinuousClock.now < deadline {
            if let rows = try? await pool.query("SELECT state, count(*)::bigint AS n FROM requests GROUP BY state").rows {
                states = Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode("state", as: String.self), Int(try $0.decode("n", as: Int64.self))) })
                if states[RequestState.archived.rawValue] ?? 0 >= count { return }
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        // What an investigation needs first: where the requests wait, and what the officers saw.
        let queues =
            (try? await pool.query("SELECT queue, count(*)::bigint AS n FROM officer_queue GROUP BY queue").rows.map {
                (try $0.decode("queue", as: String.self), Int(try $0.decode("n", as: Int64.self)))
            }).map { Dictionary(uniqueKeysWithValues: $0) } ?? [:]
        throw LoadError.notArchived(pending: states, queues: queues, lastFailedCommands: Array((robots?.failedCommands ?? []).suffix(3)))
    }

    /// Every message the sandbox took (after the first `after`), as WhatsApp would have delivered it.
    func messagesSent(after: Int = 0) async throws -> [[String: Any]] {
        let url = URL(string: environment["KK_WA_GRAPH_URL"]! + "/_sandbox/messages?after=\(after)")!
        return try JSONSerialization.jsonObject(with: try await HTTPExchange.send("GET", url).data) as? [[String: Any]] ?? []
    }

    /// The documents (PDFs) the sandbox was asked to send, per phone.
    public func documentsSent() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for message in try await messagesSent() where message["type"] as? String == "document" {
            counts[message["to"] as? String ?? "?", default: 0] += 1
        }
        return counts
    }

    /// Our messages WhatsApp took more than once (the same `biz_opaque_callback_data`, which names
    /// one wa.outbound message), with how often: a text or KK sent twice. Empty when none.
    public func messagesSentTwice() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for message in try await messagesSent() {
            guard let id = message["biz_opaque_callback_data"] as? String else { continue }
            counts[id, default: 0] += 1
        }
        return counts.filter { $0.value > 1 }
    }

    /// Stops the officers and every daemon; drops the run's database when asked.
    public func shutdown(dropDatabase: Bool) async {
        robots?.stop()
        fleet.stopAll()
        await pool.close()
        guard dropDatabase, let admin = try? await PostgresConnection.connect(url: settings.databaseURL, logger: logger) else { return }
        _ = try? await admin.simpleQuery("DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")
        await admin.close()
    }

    /// Makes PostgreSQL refuse this run's connections for `duration`: new ones are
    /// refused and the open ones are cut, as when the database server restarts.
    public func refuseDatabaseConnections(for duration: Duration) async throws {
        // The machine is busiest now (every replica at work): a slow handshake is tried again, not a failed run.
        var attempt = 0
        let admin: PostgresConnection
        while true {
            do {
                admin = try await PostgresConnection.connect(url: settings.databaseURL, logger: logger)
                break
            } catch {
                attempt += 1
                if attempt == 6 { throw error }
                logger.warning("the owner's connection to refuse connections failed; trying again", metadata: ["error": "\(error)"])
            }
        }
        _ = try await admin.simpleQuery("ALTER DATABASE \(databaseName) ALLOW_CONNECTIONS false")
        _ = try await admin.simpleQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(databaseName)'")
        try? await Task.sleep(for: duration)
        _ = try await admin.simpleQuery("ALTER DATABASE \(databaseName) ALLOW_CONNECTIONS true")
        await admin.close()
    }

    func must(_ tool: String, _ arguments: [String], extra: [String: String] = [:]) async throws {
        let outcome = try await runner.run(tool, arguments, extra: extra)
        guard outcome.succeeded else { throw LoadError.gaveUp("\(tool) \(arguments.joined(separator: " ")): \(outcome.output.suffix(800))") }
    }

    /// How long the sandbox leaves a call it times out unanswered: past the gateway's
    /// `KK_WA_HTTP_TIMEOUT_SECONDS` in a chaos run (`graphTimeoutSeconds`).
    static let graphHangMilliseconds = 4000
    /// The gateway's Graph API timeout in a chaos run.
    public static let graphTimeoutSeconds = "2.5"

    /// The runbook after the broker lost everything (the README's): one
    /// `kk-admin recover` as the administrator, once the broker answers again. It
    /// makes the topics again, waits until every running replica has replaced its
    /// Kafka clients (none is stopped or started), and re-publishes what the
    /// in-flight requests wait for. Returns its report.
    public func recoverFromBrokerLoss() async throws -> String {
        guard let session = robots?.sessions["rina"] else { throw LoadError.gaveUp("the recovery needs Settings.withAdministrator") }
        var recover = try await runner.run("kk-admin", ["recover"], extra: ["KK_SESSION_FILE": session])
        // The broker may still be starting: the command refuses, naming it, and is safe to run again.
        for _ in 0..<20 where !recover.succeeded && recover.output.contains("Broker belum bisa dipakai") {
            try await Task.sleep(for: .milliseconds(500))
            recover = try await runner.run("kk-admin", ["recover"], extra: ["KK_SESSION_FILE": session])
        }
        guard recover.succeeded else { throw LoadError.gaveUp("kk-admin recover: \(recover.output.suffix(800))") }
        return recover.output
    }

    /// What the sandbox injected (`GET /_sandbox/chaos`): calls served and faults per kind.
    public func graphChaos() async throws -> (calls: Int, injected: [String: Int]) {
        let answer = try await HTTPExchange.send("GET", player.sandboxURL.appendingPathComponent("_sandbox/chaos"))
        let object = try JSONSerialization.jsonObject(with: answer.data) as? [String: Any] ?? [:]
        return (object["calls"] as? Int ?? 0, object["injected"] as? [String: Int] ?? [:])
    }

    /// A TCP port for a child process to bind (`ListenPorts.next()`).
    public static func freePort() -> Int { ListenPorts.next() }
}
