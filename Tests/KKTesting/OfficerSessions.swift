import Foundation
import Synchronization

/// How the tests run an officer CLI as a signed-in officer: like an officer at a desk, each
/// officer signs in once per stack (`login`, through the service's API and its scrypt check)
/// and later commands use the saved session; signing in on every command cost a second of
/// scrypt each. A command refused for want of a session (the account was disabled, moved to
/// another role, its sessions revoked) signs in again, or, when that is refused too, runs
/// with the password itself so the test sees the service's own answer.
package enum OfficerSessions {
    /// Session files by stack (its database) and officer.
    private static let files = Mutex<[String: String]>([:])

    package static func run(
        _ tool: String, _ arguments: [String], as username: String, password: String, environment: [String: String], without: Set<String>
    ) throws -> (status: Int32, output: String) {
        let key = "\(environment["KK_DATABASE_URL"] ?? "")|\(username)|\(password)"
        func withSession(_ file: String) throws -> (status: Int32, output: String) {
            try ChildProcess.start(
                tool, arguments, environment: environment.merging(["KK_SESSION_FILE": file]) { _, new in new }, without: without.union(["KK_OFFICER"])
            )
            .wait()
        }
        if let file = files.withLock({ $0[key] }) {
            let outcome = try withSession(file)
            guard Self.wantsSession(outcome) else { return outcome }
            files.withLock { _ = $0.removeValue(forKey: key) }
        }
        if let file = try signIn(tool, as: username, password: password, environment: environment, without: without) {
            files.withLock { $0[key] = file }
            return try withSession(file)
        }
        return try ChildProcess.start(
            tool, arguments, environment: environment.merging(["KK_OFFICER": username, "KK_OFFICER_PASSWORD": password]) { _, new in new },
            without: without
        ).wait()
    }

    /// Runs `login`; the session file, or nil when the service refused the sign-in.
    private static func signIn(
        _ tool: String, as username: String, password: String, environment: [String: String], without: Set<String>
    ) throws -> String? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sesi-uji-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let passwordFile = folder.appendingPathComponent("sandi")
        try Data(password.utf8).write(to: passwordFile)
        let session = folder.appendingPathComponent("sesi").path
        let login = try ChildProcess.start(
            tool, ["login", username, "--password-file", passwordFile.path],
            environment: environment.merging(["KK_SESSION_FILE": session]) { _, new in new }, without: without.union(["KK_OFFICER"])
        ).wait()
        return login.status == 0 ? session : nil
    }

    /// The CLI's answers when it has no valid session (OfficerError.notSignedIn, .sessionExpired).
    private static func wantsSession(_ outcome: (status: Int32, output: String)) -> Bool {
        outcome.status != 0 && (outcome.output.contains("Anda belum masuk") || outcome.output.contains("Sesi Anda sudah berakhir"))
    }
}
