import Foundation
import KKConfiguration
import KKDomain
import KKLoad
import KKStore
import KKTesting
import Kafka
import Postgres
import Testing

@Suite("Real processes: crashes and shutdown")
struct ProcessTests {
    @Test("a process killed with SIGKILL in the middle of a step leaves the request fully before it; a retry takes it fully")
    func sigkillMidStep() async throws {
        let url = try await TestStack.freshDatabase()
        let pool = try await PostgresPool.connect(url: url, size: 1, logger: TestStack.logger)
        let id = try await pool.withTransaction { tx in
            try await RequestStore.create(reason: .lost, applicantPhone: "6281377770000", actor: Actor(role: .applicant, id: "a"), in: tx).0.id
        }
        let child = try ChildProcess.start(
            "kk-probe",
            ["step", "--request", id.uuidString, "--action", RequestAction.submit.rawValue, "--role", Role.system.rawValue, "--pause-seconds", "60"],
            environment: ["KK_DATABASE_URL": url])
        let seen = child.waitFor("IN_STEP")
        #expect(seen.contains("IN_STEP"))
        kill(child.process.processIdentifier, SIGKILL)
        child.process.waitUntilExit()
        #expect(child.process.terminationReason == .uncaughtSignal)

        // PostgreSQL rolled the half-done step back: the request is exactly as before.
        let afterKill = try await pool.withTransaction { tx in (try await RequestStore.load(id, in: tx), try await RequestStore.events(of: id, in: tx)) }
        #expect(afterKill.0.state == .collectingDocuments)
        #expect(afterKill.0.version == 1)
        #expect(afterKill.1.count == 1)

        let retry = try ChildProcess.start(
            "kk-probe", ["step", "--request", id.uuidString, "--action", RequestAction.submit.rawValue, "--role", Role.system.rawValue],
            environment: ["KK_DATABASE_URL": url])
        let result = retry.wait()
        #expect(result.status == 0, "\(result.output)")
        let afterRetry = try await pool.withTransaction { tx in (try await RequestStore.load(id, in: tx), try await RequestStore.events(of: id, in: tx)) }
        #expect(afterRetry.0.state == .submitted)
        #expect(afterRetry.1.count == 2)
        await pool.close()
    }

    @Test("SIGTERM drains: the service finishes the message in hand, commits, and exits with status 0")
    func sigtermDrains() async throws {
        let url = try await TestStack.freshDatabase()
        let pool = try await PostgresPool.connect(url: url, size: 1, logger: TestStack.logger)
        let topic = try await TestStack.uniqueTopic("probe")
        let child = try ChildProcess.start(
            "kk-probe", ["serve"],
            environment: [
                "KK_DATABASE_URL": url, "KK_PROBE_TOPIC": topic, "KK_PROBE_NAME": "kk-probe-\(topic)", "KK_HTTP_PORT": "0",
                "KK_PROBE_STEP_DELAY_MS": "1500", "KK_LOG_LEVEL": "info",
                "KK_KAFKA_PROPERTIES": "session.timeout.ms=6000;max.poll.interval.ms=10000",
            ])
        let started = child.waitFor("started")
        #expect(started.contains("started"), "\(started)")

        let id = try await pool.withTransaction { tx in
            try await RequestStore.create(reason: .lost, applicantPhone: "6281377770001", actor: Actor(role: .applicant, id: "a"), in: tx).0.id
        }
        let producer = try await KafkaProducer(configuration: .init(TestStack.kafka()), logger: TestStack.logger)
        let step = EventEnvelope(payload: TestProbeStep(action: .submit, role: .system), requestId: id, actor: Actor(role: .system, id: "t"))
        try await producer.send(.init(topic: topic, key: id.uuidString.lowercased(), value: Array(step.encoded())))
        await producer.close()

        // Wait until the step is in hand (the probe holds it for 1.5 s), then ask the service to stop.
        let inHand = child.waitFor("STEP_IN_HAND")
        #expect(inHand.contains("STEP_IN_HAND \(id)"), "\(inHand)")
        kill(child.process.processIdentifier, SIGTERM)
        let result = child.wait()
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("stopped cleanly"))
        let state = try await pool.withTransaction { tx in try await RequestStore.load(id, in: tx).state }
        #expect(state == .submitted)
        await pool.close()
    }
}

/// The probe's step payload (same type and fields as kk-probe's `ProbeStep`).
struct TestProbeStep: EventPayload {
    static let eventType = "kk.probe.step"
    static let schemaVersion = 1
    let action: RequestAction
    let role: Role
}

@Suite("kk-admin as a process: start-up checks and migrations")
struct AdminProcessTests {
    @Test("two processes migrating at once apply each migration exactly once")
    func twoProcessesMigrate() async throws {
        // An empty database (not the project schema) and migrations whose double application would show.
        let name = "kk_test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try await PostgresConnection.connect(url: TestStack.databaseURL, logger: TestStack.logger)
        try await admin.simpleQuery("CREATE DATABASE \(name)")
        await admin.close()
        let url = TestStack.replacingDatabase(in: TestStack.databaseURL, with: name)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mig-\(name)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "CREATE TABLE probe (n int NOT NULL); INSERT INTO probe VALUES (1); SELECT pg_sleep(0.3);"
            .write(to: dir.appendingPathComponent("0001_probe.sql"), atomically: true, encoding: .utf8)
        try "INSERT INTO probe VALUES (2);".write(to: dir.appendingPathComponent("0002_second.sql"), atomically: true, encoding: .utf8)

        let first = try ChildProcess.start("kk-admin", ["migrate", "--directory", dir.path], environment: ["KK_DATABASE_URL": url])
        let second = try ChildProcess.start("kk-admin", ["migrate", "--directory", dir.path], environment: ["KK_DATABASE_URL": url])
        let (a, b) = (first.wait(), second.wait())
        #expect(a.status == 0, "\(a.output)")
        #expect(b.status == 0, "\(b.output)")
        let pool = try await PostgresPool.connect(url: url, size: 1, logger: TestStack.logger)
        let rows = try await pool.query("SELECT n FROM probe ORDER BY n").rows
        #expect(try rows.map { try $0.decode("n", as: Int32.self) } == [1, 2])
        // One process applied both; the other waited for the lock and found nothing to do.
        #expect((a.output + b.output).components(separatedBy: "migrasi 0001 probe diterapkan").count == 2)
        #expect((a.output + b.output).contains("skema basis data sudah mutakhir"))
        await pool.close()
    }

    @Test("start-up against Debian 12's librdkafka 2.0.2 is refused with how to fix it")
    func oldLibrdkafkaRefused() throws {
        let old = "/usr/lib/x86_64-linux-gnu/librdkafka.so.1"
        try #require(FileManager.default.fileExists(atPath: old), "Debian's librdkafka1 (2.0.2) is installed by make setup for this test")
        let child = try ChildProcess.start("kk-admin", ["check"], environment: ["LD_LIBRARY_PATH": "/usr/lib/x86_64-linux-gnu"])
        let result = child.wait()
        #expect(result.status != 0)
        #expect(result.output.contains("librdkafka 2.0.2 is linked"), "\(result.output)")
        #expect(result.output.contains("make setup"))
    }

    /// Settings good enough to reach the start-up checks (nothing answers at the addresses).
    static let unreachableServices = [
        "KK_DATABASE_URL": "postgresql://kk:rv7RG3cY7cunFOI6@127.0.0.1:1/kk", "KK_KAFKA_BROKERS": "127.0.0.1:1",
        "KK_WA_PHONE_NUMBER_ID": "1234567890", "KK_WA_TOKEN": "token-graph-uji", "KK_WA_APP_SECRET": "rahasia-aplikasi-meta",
        "KK_WA_VERIFY_TOKEN": "verifikasi",
    ]

    @Test("the gateway refuses to start with the templates' placeholder secrets or a too-short one, naming the variable")
    func placeholderSecretsRefused() throws {
        let base = Self.unreachableServices
        let placeholder = try ChildProcess.start(
            "kk-gateway", ["serve"], environment: base.merging(["KK_WA_APP_SECRET": "GANTI-app-secret-whatsapp"]) { $1 }
        ).wait()
        #expect(placeholder.status != 0 && placeholder.output.contains("KK_WA_APP_SECRET still holds the template's placeholder"), "\(placeholder.output)")
        #expect(!placeholder.output.contains("GANTI-app-secret-whatsapp"))
        let short = try ChildProcess.start("kk-gateway", ["serve"], environment: base.merging(["KK_WA_TOKEN": "abc"]) { $1 }).wait()
        #expect(short.status != 0 && short.output.contains("KK_WA_TOKEN is shorter than 12 characters"), "\(short.output)")
        let unkeyed = try ChildProcess.start("kk-intake", ["serve"], environment: base.merging(["KK_PSEUDONYM_KEY_FILE": ""]) { $1 }).wait()
        #expect(unkeyed.status != 0 && unkeyed.output.contains("KK_PSEUDONYM_KEY_FILE"), "no pseudonym key, no intake: \(unkeyed.output)")
        let database = try ChildProcess.start(
            "kk-entry", ["serve"], environment: base.merging(["KK_DATABASE_URL": "postgresql://kk:GANTI-kata-sandi-postgres@postgres:5432/kk"]) { $1 }
        ).wait()
        #expect(database.status != 0 && database.output.contains("KK_DATABASE_URL still holds the template's placeholder"), "\(database.output)")
    }

    @Test("a malformed or out-of-range number in a service's settings stops it at start, naming the variable (never a silent default)")
    func malformedSettingsRefused() throws {
        let base = Self.unreachableServices
        let port = try ChildProcess.start("kk-gateway", ["serve"], environment: base.merging(["KK_GATEWAY_PORT": "abc"]) { $1 }).wait()
        #expect(
            port.status != 0 && port.output.contains("KK_GATEWAY_PORT has the value 'abc', but it must be a whole number from 0 to 65535"), "\(port.output)")
        let wait = try ChildProcess.start("kk-gateway", ["serve"], environment: base.merging(["KK_WA_IN_DOUBT_WAIT_SECONDS": "setengah"]) { $1 }).wait()
        #expect(wait.status != 0 && wait.output.contains("KK_WA_IN_DOUBT_WAIT_SECONDS has the value 'setengah'"), "\(wait.output)")
        let attempts = try ChildProcess.start("kk-deliver", ["serve"], environment: base.merging(["KK_DELIVERY_ATTEMPTS": "0"]) { $1 }).wait()
        #expect(
            attempts.status != 0 && attempts.output.contains("KK_DELIVERY_ATTEMPTS has the value '0', but it must be a whole number from 1 to 100"),
            "\(attempts.output)")
        let gauges = try ChildProcess.start("kk-verify", ["serve"], environment: base.merging(["KK_GAUGE_INTERVAL_MS": "5s"]) { $1 }).wait()
        #expect(gauges.status != 0 && gauges.output.contains("KK_GAUGE_INTERVAL_MS has the value '5s'"), "\(gauges.output)")
        // The address a KK's QR code will carry: refused at start, before any KK is signed with it.
        let verifyURL = try ChildProcess.start("kk-sign", ["serve"], environment: base.merging(["KK_PUBLIC_VERIFY_URL": "ftp://cek"]) { $1 }).wait()
        #expect(verifyURL.status != 0 && verifyURL.output.contains("KK_PUBLIC_VERIFY_URL 'ftp://cek' is not an http(s) address"), "\(verifyURL.output)")
        let verifyPort = try ChildProcess.start("kk-archive", ["serve"], environment: base.merging(["KK_PUBLIC_VERIFY_PORT": "web"]) { $1 }).wait()
        #expect(verifyPort.status != 0 && verifyPort.output.contains("KK_PUBLIC_VERIFY_PORT has the value 'web'"), "\(verifyPort.output)")
        // The office calendar: a malformed file stops any service at start, and the operator's check names the fault.
        let calendar = FileManager.default.temporaryDirectory.appendingPathComponent("kalender-\(UUID().uuidString.prefix(6)).json")
        try Data(#"{"hours": {"senin": "08:00-15:30"}}"#.utf8).write(to: calendar)
        let hours = try ChildProcess.start("kk-intake", ["serve"], environment: base.merging([OfficeHours.fileVariable: calendar.path]) { $1 }).wait()
        #expect(hours.status != 0 && hours.output.contains("KK_OFFICE_CALENDAR_FILE has the value '\(calendar.path)'"), "\(hours.output)")
        #expect(hours.output.contains("'senin' is not a weekday; use monday"), "\(hours.output)")
        let check = try ChildProcess.start("kk-admin", ["office-calendar", "--file", calendar.path], environment: [:]).wait()
        #expect(check.status != 0 && check.output.contains("'senin' is not a weekday"), "\(check.output)")
        let sample = try ChildProcess.start("kk-admin", ["office-calendar"], environment: [:]).wait()
        #expect(sample.status == 0 && sample.output.contains("Jam layanan:     Senin-Kamis 08.00-15.30, Jumat 08.00-14.30 WIB"), "\(sample.output)")
        #expect(sample.output.contains("(cuti bersama)"), "\(sample.output)")
        let json = try ChildProcess.start("kk-admin", ["office-calendar", "--sample"], environment: [:]).wait()
        #expect(try JSONDecoder().decode(OfficeCalendar.self, from: Data(json.output.utf8)) == OfficeCalendar.sample)
    }

    @Test(
        "the production executables carry no development tool: the Graph API sandbox, the simulated applicant, development keys and sample families are kk-dev's"
    )
    func developmentToolsApart() throws {
        let production: [(tool: String, arguments: [String], absent: [String])] = [
            ("kk-gateway", ["--help"], ["sandbox", "simulate"]), ("kk-sign", ["--help"], ["keygen"]), ("kk-admin", ["register", "--help"], ["seed"]),
        ]
        for (tool, arguments, absent) in production {
            let help = try ChildProcess.start(tool, arguments, environment: [:]).wait()
            #expect(help.status == 0, "\(help.output)")
            let subcommands = help.output.components(separatedBy: "SUBCOMMANDS:").dropFirst().joined()
            for name in absent {
                #expect(!subcommands.contains("  \(name)"), "\(tool) \(arguments.joined(separator: " ")) still lists \(name):\n\(help.output)")
            }
            let refused = try ChildProcess.start(tool, Array(arguments.dropLast()) + [absent[0]], environment: [:]).wait()
            #expect(refused.status != 0 && refused.output.contains("Unexpected argument '\(absent[0])'"), "\(tool) still runs \(absent[0]): \(refused.output)")
        }
        let dev = try ChildProcess.start("kk-dev", ["--help"], environment: [:]).wait()
        for name in ["sandbox", "simulate", "keygen", "register-seed"] {
            #expect(dev.output.contains("  \(name)"), "kk-dev lists \(name): \(dev.output)")
        }
        // A development key carries the Kepala Dinas' NIP: one that is not 18 digits writes no key at all.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kunci-\(UUID().uuidString.prefix(8))")
        let shortNIP = try ChildProcess.start(
            "kk-dev", ["keygen", "--out", folder.path, "--name", "Dra. Sri Lestari", "--nip", "19700101199"],
            environment: ["KK_SIGN_KEY_PASSPHRASE": "frasa-sandi-uji"]
        ).wait()
        #expect(shortNIP.status != 0 && shortNIP.output.contains("--nip must be the 18-digit NIP."), "\(shortNIP.output)")
        #expect(!FileManager.default.fileExists(atPath: folder.path), "nothing is written for a wrong NIP")
    }

    @Test("start-up against an unreachable broker or database fails with what to do")
    func unreachableDependencies() throws {
        let broker = try ChildProcess.start("kk-admin", ["check", "--timeout", "2"], environment: ["KK_KAFKA_BROKERS": "127.0.0.1:1"]).wait()
        #expect(broker.status != 0)
        #expect(broker.output.contains("No Kafka broker answered at 127.0.0.1:1"), "\(broker.output)")
        #expect(broker.output.contains("make up"))
        let database = try ChildProcess.start(
            "kk-admin", ["check", "--timeout", "2"], environment: ["KK_DATABASE_URL": "postgresql://kk:rahasia@127.0.0.1:1/kk"]
        ).wait()
        #expect(database.status != 0)
        #expect(database.output.contains("cannot connect to PostgreSQL at 127.0.0.1:1"), "\(database.output)")
        #expect(!database.output.contains("rahasia"))
        let missing = try ChildProcess.start("kk-admin", ["check"], environment: ["KK_KAFKA_BROKERS": ""]).wait()
        #expect(missing.status != 0)
        #expect(missing.output.contains("KK_KAFKA_BROKERS is not set"), "\(missing.output)")
    }
}

@Suite("Officer sign-in through the CLI")
struct SignInProcessTests {
    @Test("login saves a session, whoami shows the officer and role, a wrong password and logout are handled")
    func loginWhoamiLogout() async throws {
        let url = try await TestStack.freshDatabase()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("signin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let passwordFile = dir.appendingPathComponent("password").path
        let wrongFile = dir.appendingPathComponent("wrong").path
        try "kata-sandi-siti-2026".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try "bukan-kata-sandinya".write(toFile: wrongFile, atomically: true, encoding: .utf8)
        let admin = try await AdminService.start(databaseURL: url)
        defer { admin.stop() }
        let add = try admin.run(
            ["officer", "add", "siti", "--name", "Siti Nur'aini", "--nip", "198507122010012001", "--role", "petugas_layanan", "--password-file", passwordFile])
        #expect(add.status == 0, "\(add.output)")
        // The CLI as an officer runs it: the service's address, no database credential.
        var env = admin.environment.filter { !IntakeStack.serverOnlyVariables.contains($0.key) }
        env["KK_SESSION_FILE"] = dir.appendingPathComponent("session").path
        env["KK_OFFICER"] = ""

        let wrong = try ChildProcess.start(
            "kk-admin", ["login", "siti", "--password-file", wrongFile], environment: env, without: IntakeStack.serverOnlyVariables
        ).wait()
        #expect(wrong.status != 0)
        #expect(wrong.output.contains("Nama pengguna atau kata sandi salah"))

        let notYet = try ChildProcess.start("kk-admin", ["whoami"], environment: env, without: IntakeStack.serverOnlyVariables).wait()
        #expect(notYet.status != 0)
        #expect(notYet.output.contains("Anda belum masuk"))

        let login = try ChildProcess.start(
            "kk-admin", ["login", "siti", "--password-file", passwordFile], environment: env, without: IntakeStack.serverOnlyVariables
        ).wait()
        #expect(login.status == 0, "\(login.output)")
        #expect(login.output.contains("Selamat datang, Siti Nur'aini"))
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("session").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let whoami = try ChildProcess.start("kk-admin", ["whoami"], environment: env, without: IntakeStack.serverOnlyVariables).wait()
        #expect(whoami.status == 0, "\(whoami.output)")
        #expect(whoami.output.contains("siti") && whoami.output.contains("Petugas Unit Layanan & Entri"))

        let logout = try ChildProcess.start("kk-admin", ["logout"], environment: env, without: IntakeStack.serverOnlyVariables).wait()
        #expect(logout.status == 0)
        let after = try ChildProcess.start("kk-admin", ["whoami"], environment: env, without: IntakeStack.serverOnlyVariables).wait()
        #expect(after.status != 0)

        // Non-interactive sign-in for automation: user and password file from the environment.
        var automated = env
        automated["KK_OFFICER"] = "siti"
        automated["KK_OFFICER_PASSWORD_FILE"] = passwordFile
        let auto = try ChildProcess.start("kk-admin", ["whoami"], environment: automated, without: IntakeStack.serverOnlyVariables).wait()
        #expect(auto.status == 0, "\(auto.output)")
    }
}
