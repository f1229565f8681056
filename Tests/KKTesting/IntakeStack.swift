import Crypto
import Foundation
import KKConfiguration
import KKDomain
import KKHTTP
import KKLoad
import KKMessaging
import KKOfficerAPI
import KKStore
import Kafka
import Postgres
import Testing

/// The applicant's side of the system on the real broker and database: the
/// Graph API sandbox (in Meta's place), kk-gateway and kk-intake, in their own
/// topic namespace and database, and the officer CLI.
package struct IntakeStack {
    package static let appSecret = "rahasia-aplikasi-meta"
    package static let token = "token-graph-uji"
    package static let officerPassword = "kata-sandi-petugas"

    package let databaseURL: String
    package let pool: PostgresPool
    package let sandboxPort: Int
    package let gatewayPort: Int
    /// Each officer service's API port (its CLI finds it through `KK_<SERVICE>_URL` in `environment`).
    package let apiPorts: [String: Int]
    package var intakeAPIPort: Int { apiPorts["kk-intake"]! }
    package let environment: [String: String]
    package let daemons: [Daemon]

    /// `services`: further daemons to run beside the gateway, kk-intake and kk-admin (e.g. "kk-entry", "kk-verify").
    /// `brokers`: a broker of the test's own instead of the shared one (to restart it).
    package static func start(extra: [String: String] = [:], services: [String] = [], receipts: Bool = false, brokers: String? = nil) async throws
        -> IntakeStack
    {
        let url = try await TestStack.freshDatabase()
        let prefix = "t\(UUID().uuidString.prefix(8).lowercased())."
        let admin = try await KafkaAdmin(
            configuration: KafkaConfiguration(brokers: brokers ?? TestStack.brokers, clientID: "kk-tests"), logger: TestStack.logger)
        try await admin.createTopics(Topic.allCases.map { .init(name: prefix + $0.rawValue, partitions: 2) })
        let sandboxPort = freePort()
        let gatewayPort = freePort()
        let apiPorts = Dictionary(uniqueKeysWithValues: Self.officerServices.map { ($0.name, freePort()) })
        let verifyPort = freePort()
        var environment = [
            "KK_PUBLIC_VERIFY_PORT": String(verifyPort), "KK_PUBLIC_VERIFY_URL": "http://127.0.0.1:\(verifyPort)/verifikasi",
            "KK_DATABASE_URL": url, "KK_TOPIC_PREFIX": prefix, "KK_HTTP_PORT": "0", "KK_LOG_FORMAT": "text",
            "KK_GATEWAY_PORT": String(gatewayPort), "KK_WA_GRAPH_URL": "http://127.0.0.1:\(sandboxPort)",
            "KK_WA_PHONE_NUMBER_ID": "1234567890", "KK_WA_TOKEN": token, "KK_WA_APP_SECRET": appSecret,
            "KK_WA_VERIFY_TOKEN": "verifikasi", "KK_WA_MEDIA_LIMIT_BYTES": "2097152", "KK_WA_SEND_BACKOFF_MS": "50",
            OfficeHours.fileVariable: TestStack.alwaysOpenCalendarFile,
        ]
        for service in Self.officerServices { environment[service.urlVariable] = "http://127.0.0.1:\(apiPorts[service.name]!)" }
        if let brokers { environment["KK_KAFKA_BROKERS"] = brokers }
        environment.merge(extra) { _, new in new }
        let sandbox = try await Daemon.start(
            "kk-dev", ["sandbox", "--port", String(sandboxPort)] + (receipts ? ["--receipts-to", "http://127.0.0.1:\(gatewayPort)/webhook"] : []),
            environment: environment, marker: "listening")
        let gateway = try await Daemon.start("kk-gateway", ["serve"], environment: environment, marker: "outbox relay elected")
        let intake = try await Daemon.start(
            "kk-intake", ["serve"], environment: Self.daemonEnvironment(environment, for: "kk-intake", apiPorts: apiPorts), marker: "outbox relay elected")
        var more: [Daemon] = []
        // kk-admin serve always runs: the administrator's commands (officer ..., kk-dev register-seed) go through it.
        try await AdminService.addAdministrator(databaseURL: url)
        for service in services + (services.contains("kk-admin") ? [] : ["kk-admin"]) {
            more.append(
                try await Daemon.start(
                    service, ["serve"], environment: Self.daemonEnvironment(environment, for: service, apiPorts: apiPorts), marker: "outbox relay elected"))
        }
        let pool = try await PostgresPool.connect(url: url, size: 2, logger: TestStack.logger)
        try await TestOfficers.add(
            username: "siti", fullName: "Siti Rahayu", nip: "198507122010012001", role: .serviceOfficer, password: officerPassword, pool: pool)
        try await TestOfficers.add(
            username: "bambang", fullName: "Bambang Suryanto", nip: "197803152005011002", role: .verifier, password: officerPassword, pool: pool)
        try await TestOfficers.add(
            username: "agus", fullName: "Agus Prasetyo", nip: "199001052015031003", role: .serviceOfficer, password: officerPassword, pool: pool)
        try await TestOfficers.add(
            username: "dewi", fullName: "Dewi Kartika Sari", nip: "198211202008012004", role: .verifier, password: officerPassword, pool: pool)
        return IntakeStack(
            databaseURL: url, pool: pool, sandboxPort: sandboxPort, gatewayPort: gatewayPort, apiPorts: apiPorts, environment: environment,
            daemons: [sandbox, gateway, intake] + more)
    }

    /// The running daemon of `service`, e.g. "kk-entry".
    package func daemon(_ service: String) throws -> Daemon {
        try #require(daemons.last { $0.name == service }, "\(service) is not running in this stack")
    }

    /// Stops the daemons (synchronously, so a `defer` does it even when a test fails early).
    package func stop() {
        daemons.reversed().forEach { $0.stop() }
    }

    // MARK: the applicant

    /// Posts a webhook as Meta would, signed with the app secret.
    @discardableResult
    package func post(_ body: String) async throws -> Int {
        try await HTTPExchange.send(
            "POST", URL(string: "http://127.0.0.1:\(gatewayPort)/webhook")!,
            headers: [("Content-Type", "application/json"), ("X-Hub-Signature-256", Webhook.signature(body, secret: Self.appSecret))], body: Array(body.utf8)
        ).status
    }

    package func text(_ text: String, from phone: String) async throws {
        #expect(try await post(Webhook.text(id: "wamid.\(UUID().uuidString)", from: phone, body: text)) == 200)
    }

    /// Puts a photo in the sandbox and sends it as the applicant.
    package func photo(from phone: String, bytes: [UInt8] = Self.samplePhoto(), contentType: String = "image/jpeg", caption: String = "formulir") async throws {
        let answer = try await HTTPExchange.send(
            "POST", URL(string: "http://127.0.0.1:\(sandboxPort)/_sandbox/media")!, headers: [("Content-Type", contentType)], body: bytes)
        let object = try #require(try JSONSerialization.jsonObject(with: answer.data) as? [String: String])
        let body = Webhook.image(id: "wamid.\(UUID().uuidString)", from: phone, mediaID: object["id"]!, sha256: object["sha256"], caption: caption)
        #expect(try await post(body) == 200)
    }

    package static func samplePhoto() -> [UInt8] { [0xFF, 0xD8, 0xFF, 0xE0] + (0..<30_000).map { _ in UInt8.random(in: 0...255) } }

    /// Every message the sandbox received, in order.
    package func sent() async throws -> [[String: Any]] {
        let answer = try await HTTPExchange.send("GET", URL(string: "http://127.0.0.1:\(sandboxPort)/_sandbox/messages")!)
        return try #require(try JSONSerialization.jsonObject(with: answer.data) as? [[String: Any]])
    }

    /// The texts sent to `phone` (template bodies included), waiting until there are at least `count`.
    package func replies(to phone: String, atLeast count: Int, timeout: Duration = .seconds(90)) async throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        var texts: [String] = []
        repeat {
            texts = try await sent().filter { $0["to"] as? String == phone }.map(Self.text(of:))
            if texts.count >= count { break }
            try await Task.sleep(for: .milliseconds(150))
        } while ContinuousClock.now < deadline
        #expect(texts.count >= count, "expected \(count) replies to \(phone), got \(texts.count): \(texts)")
        return texts
    }

    /// The texts sent to `phone`, waiting until one contains `phrase` (other services' messages,
    /// such as kk-intake's progress notices, may come between the ones a test expects).
    package func texts(to phone: String, containing phrase: String, count: Int = 1, timeout: Duration = .seconds(90)) async throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        var texts: [String] = []
        repeat {
            texts = try await sent().filter { $0["to"] as? String == phone }.map(Self.text(of:))
            if texts.filter({ $0.contains(phrase) }).count >= count { return texts }
            try await Task.sleep(for: .milliseconds(150))
        } while ContinuousClock.now < deadline
        Issue.record("no \(count) texts to \(phone) say '\(phrase)': \(texts)")
        return texts
    }

    /// Sends a text and returns the one reply it gets.
    package func ask(_ message: String, from phone: String) async throws -> String {
        let before = try await sent().filter { $0["to"] as? String == phone }.count
        try await text(message, from: phone)
        return try await replies(to: phone, atLeast: before + 1).dropFirst(before).first ?? ""
    }

    /// Sends a photo and returns the one reply it gets.
    package func send(photoFrom phone: String, caption: String = "formulir") async throws -> String {
        let before = try await sent().filter { $0["to"] as? String == phone }.count
        try await photo(from: phone, caption: caption)
        return try await replies(to: phone, atLeast: before + 1).dropFirst(before).first ?? ""
    }

    package static func text(of message: [String: Any]) -> String {
        if let text = (message["text"] as? [String: Any])?["body"] as? String { return text }
        let components = (message["template"] as? [String: Any])?["components"] as? [[String: Any]] ?? []
        let parameters = components.first { $0["type"] as? String == "body" }?["parameters"] as? [[String: Any]]
        return parameters?.first?["text"] as? String ?? ""
    }

    // MARK: the officer

    package static let officerServices: [OfficerService] = [.intake, .entry, .verify, .sign, .deliver, .archive, .admin]

    /// The officer CLIs that are clients of their service's officer API: they
    /// run with no database or broker address in their environment at all.
    package static let apiClients = Set(officerServices.map(\.name))
    package static let serverOnlyVariables: Set<String> = ["KK_DATABASE_URL", "KK_KAFKA_BROKERS"]
    /// What only the Kepala Dinas' CLI reads: no service process is given her key.
    package static let signerOnlyVariables: Set<String> = ["KK_SIGN_KEY", "KK_SIGN_KEY_PASSPHRASE", "KK_SIGN_KEY_PASSPHRASE_FILE", "KK_SIGN_CERT"]

    /// A service daemon's environment: its own API port, and never the signer's key.
    package static func daemonEnvironment(_ environment: [String: String], for service: String, apiPorts: [String: Int]) -> [String: String] {
        var environment = environment.filter { !signerOnlyVariables.contains($0.key) }
        environment["KK_API_PORT"] = apiPorts[service].map(String.init) ?? "0"
        // A further replica's public verification page listens where the system puts it (kk-archive's first copy has the stack's port).
        if apiPorts[service] == nil { environment["KK_PUBLIC_VERIFY_PORT"] = "0" }
        return environment
    }

    /// `service`'s environment in this stack (`replica`: a further copy, its officer API on a port of its own).
    package func daemonEnvironment(for service: String, replica: Bool = false) -> [String: String] {
        Self.daemonEnvironment(environment, for: service, apiPorts: replica ? [:] : apiPorts)
    }

    /// Runs an officer CLI (`kk-intake` unless `tool` says otherwise) as a
    /// signed-in officer; returns the exit status and output.
    package func officer(_ username: String, _ arguments: [String], tool: String = "kk-intake") throws -> (status: Int32, output: String) {
        try OfficerSessions.run(
            tool, arguments, as: username, password: Self.officerPassword, environment: environment,
            without: Self.apiClients.contains(tool) ? Self.serverOnlyVariables : [])
    }

    /// Runs `kk-admin` as the administrator through kk-admin serve (or as
    /// `username`); the set-up commands with the owner's credential.
    /// `tool`: kk-admin, or kk-dev for `register-seed`.
    package func admin(_ arguments: [String], tool: String = "kk-admin", as username: String = AdminService.administrator) throws -> (
        status: Int32, output: String
    ) {
        try AdminService.run(
            arguments, tool: tool, environment: environment, as: username,
            password: username == AdminService.administrator ? AdminService.password : Self.officerPassword)
    }

    /// Agrees to the privacy notice for `phone`: its first message gets the notice, "setuju"
    /// records the agreement. Returns the reply to "setuju" (the greeting with the menu).
    @discardableResult
    package func agree(from phone: String) async throws -> String {
        let notice = try await ask("halo", from: phone)
        #expect(notice.contains("Pemberitahuan privasi") && notice.contains("Balas SETUJU"), "\(notice)")
        let greeting = try await ask("setuju", from: phone)
        #expect(greeting.contains("persetujuan Anda sudah kami catat") && greeting.contains("Balas dengan angka pilihan"), "\(greeting)")
        return greeting
    }

    package func hasAgreed(_ phone: String) async throws -> Bool {
        try await !pool.query("SELECT 1 AS agreed FROM applicant_consents WHERE applicant_ref = \(RequestStore.applicantRef(for: phone))").rows.isEmpty
    }

    /// The sample register of 17 families (what `kk-dev register-seed --families 17` writes), added
    /// where missing; returns its first family, whose head is the applicant unless a test names another.
    package func sampleFamily() async throws -> FamilyRecord {
        let records = SampleFamilies.generate(count: 17, seed: 2026, today: CalendarDate(Date()))
        try await pool.withTransaction { tx in
            for record in records where try await tx.query("SELECT 1 AS present FROM families WHERE kk_number = \(record.kkNumber.value)").rows.isEmpty {
                try await FamilyRegister.append(record, source: .sample, in: tx)
            }
        }
        return records[0]
    }

    /// What the head of `family` writes when asked who they are: their NIK and the KK number.
    package static func identity(of family: FamilyRecord) -> String {
        "NIK \(family.head!.nik.value) KK \(family.kkNumber.value)"
    }

    /// Answers "who is asking" for the request `phone` just made, as the head of `family`
    /// (the sample register's first family unless given); returns the reply (verified, and the first document to send).
    @discardableResult
    package func identify(_ phone: String, as family: FamilyRecord? = nil) async throws -> String {
        let family = if let family { family } else { try await sampleFamily() }
        let reply = try await ask(Self.identity(of: family), from: phone)
        #expect(reply.contains("sesuai dengan data keluarga"), "\(reply)")
        return reply
    }

    /// Plays an applicant from the first message to a complete request for `reason`; returns its number.
    /// The privacy notice is agreed to the first time; the applicant is the head of
    /// `family` (the sample register's first family unless given), so the identity is
    /// verified. A data change is a birth unless `event` says otherwise (its menu number
    /// answers the list of events); one photo per required document, and
    /// "lanjut" after a document of several pages.
    package func completeRequest(_ reason: RequestReason, event: ChangeEvent = .birth, from phone: String, as family: FamilyRecord? = nil) async throws
        -> String
    {
        let family = if let family { family } else { try await sampleFamily() }
        if try await hasAgreed(phone) { _ = try await ask("halo", from: phone) } else { try await agree(from: phone) }
        _ = try await ask(String((RequestReason.allCases.firstIndex(of: reason) ?? 0) + 1), from: phone)
        if reason == .dataChange { _ = try await ask(String(event.menuNumber), from: phone) }
        try await identify(phone, as: family)
        for kind in Requirements.required(for: reason, event: reason == .dataChange ? event : nil) {
            _ = try await send(photoFrom: phone)
            if kind.mayHaveSeveralPages { _ = try await ask("lanjut", from: phone) }
        }
        let number = try await requestNumber(of: phone)
        #expect(try await state(of: number) == RequestState.submitted.rawValue)
        return number
    }

    /// Waits until an officer's `queue` command lists `number` (its daemon consumed the event).
    package func waitInQueue(_ number: String, officer username: String, tool: String, timeout: Duration = .seconds(90)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var output = ""
        repeat {
            output = try officer(username, ["queue"], tool: tool).output
            if output.contains(number) { return output }
            try await Task.sleep(for: .milliseconds(200))
        } while ContinuousClock.now < deadline
        Issue.record("\(number) never reached the \(tool) queue: \(output)")
        return output
    }

    package func requestNumber(of phone: String) async throws -> String {
        let rows = try await pool.query(
            "SELECT number FROM requests WHERE applicant_ref = \(RequestStore.applicantRef(for: phone)) ORDER BY created_at DESC LIMIT 1"
        ).rows
        return try #require(rows.first, "\(phone) has no request").decode("number", as: String.self)
    }

    package func state(of number: String) async throws -> String {
        try await pool.query("SELECT state FROM requests WHERE number = \(number)").rows[0].decode("state", as: String.self)
    }
}

/// A TCP port nobody listens on right now (the kernel picks it), for a child process to bind.
package func freePort() -> Int { PipelineRun.freePort() }
