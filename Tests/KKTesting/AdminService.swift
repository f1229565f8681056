import Foundation
import KKConfiguration
import KKDomain
import KKOfficers
import Postgres
import Testing

/// `kk-admin serve` as a real process on a test database, with a first
/// administrator, and the way to run the kk-admin CLI as her: with no
/// database or broker address in its environment, like every officer CLI.
package struct AdminService {
    package static let administrator = "rina"
    package static let password = "kata-sandi-admin"
    /// The commands that are the operator's set-up, run with the owner's credential.
    package static let setUpCommands: Set<String> = ["check", "migrate", "db-roles", "topics", "bootstrap-admin", "mark-production", "rekey-applicants"]

    package let daemon: Daemon
    package let databaseURL: String
    package let environment: [String: String]

    /// Starts kk-admin serve on `databaseURL` (the administrator is added first).
    package static func start(databaseURL: String, extra: [String: String] = [:]) async throws -> AdminService {
        try await addAdministrator(databaseURL: databaseURL)
        let port = freePort()
        var environment = [
            "KK_DATABASE_URL": databaseURL, "KK_KAFKA_BROKERS": TestStack.brokers, "KK_HTTP_PORT": "0", "KK_LOG_FORMAT": "text",
            "KK_ADMIN_URL": "http://127.0.0.1:\(port)", OfficeHours.fileVariable: TestStack.alwaysOpenCalendarFile,
        ]
        environment.merge(extra) { _, new in new }
        var daemonEnvironment = environment
        daemonEnvironment["KK_API_PORT"] = String(port)
        let daemon = try await Daemon.start("kk-admin", ["serve"], environment: daemonEnvironment, marker: "outbox relay elected")
        return AdminService(daemon: daemon, databaseURL: databaseURL, environment: environment)
    }

    /// The first administrator, as `kk-admin bootstrap-admin` makes her (once per database).
    package static func addAdministrator(databaseURL: String) async throws {
        let pool = try await PostgresPool.connect(url: databaseURL, size: 1, logger: TestStack.logger)
        do {
            try await TestOfficers.add(
                username: administrator, fullName: "Rina Marlina", nip: "198601012010012011", role: .admin, password: password, pool: pool)
        } catch OfficerError.alreadyExists {}
        await pool.close()
    }

    /// Runs `kk-admin` as `username` (the administrator unless said otherwise);
    /// the set-up commands run with the owner's credential instead.
    /// `tool`: kk-admin, or kk-dev for the development commands that call kk-admin's API (`register-seed`).
    package func run(
        _ arguments: [String], tool: String = "kk-admin", as username: String = AdminService.administrator, password: String = AdminService.password
    ) throws -> (status: Int32, output: String) {
        try Self.run(arguments, tool: tool, environment: environment, as: username, password: password)
    }

    package static func run(
        _ arguments: [String], tool: String = "kk-admin", environment: [String: String], as username: String = administrator,
        password: String = AdminService.password
    ) throws -> (status: Int32, output: String) {
        if tool == "kk-admin", let first = arguments.first, setUpCommands.contains(first) {
            return try ChildProcess.start("kk-admin", arguments, environment: environment).wait()
        }
        return try OfficerSessions.run(
            tool, arguments, as: username, password: password, environment: environment, without: IntakeStack.serverOnlyVariables)
    }

    package func stop() { daemon.stop() }
}
