import Foundation
import Postgres

/// How an officer CLI knows who is running it:
/// 1. `KK_OFFICER` with the password in the file `KK_OFFICER_PASSWORD_FILE`
///    (or, for automation, in `KK_OFFICER_PASSWORD`): signs in on every command;
/// 2. otherwise the session token that `login` saved (see `SessionTokenFile`).
///
/// Used by the CLIs that still run their commands in-process (kk-admin and the
/// services not yet behind their officer API); the others go through
/// `OfficerAPIClient`. Both share the session token file and the sessions table.
public enum OfficerSignIn {
    /// The signed-in officer, or `OfficerError.notSignedIn` / `.sessionExpired` / `.wrongCredentials`.
    public static func current(
        directory: OfficerDirectory, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Officer {
        if let (username, password) = try automationCredentials(environment: environment) {
            return try await directory.signIn(username: username, password: password)
        }
        guard let token = try SessionTokenFile.read(environment: environment) else { throw OfficerError.notSignedIn }
        return try await directory.officer(forSession: token)
    }

    /// `KK_OFFICER` and its password (from the file `KK_OFFICER_PASSWORD_FILE`, or
    /// `KK_OFFICER_PASSWORD`); nil when `KK_OFFICER` is unset.
    public static func automationCredentials(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> (username: String, password: String)? {
        guard let username = environment["KK_OFFICER"], !username.isEmpty else { return nil }
        if let file = environment["KK_OFFICER_PASSWORD_FILE"], !file.isEmpty {
            return (username, try PasswordInput.read(file: file, prompt: ""))
        }
        guard let password = environment["KK_OFFICER_PASSWORD"] else { throw OfficerError.notSignedIn }
        return (username, password)
    }

    /// Signs in and saves a session token readable only by this user.
    public static func login(
        username: String, password: String, directory: OfficerDirectory,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Officer {
        let officer = try await directory.signIn(username: username, password: password)
        let token = try await directory.createSession(for: officer)
        try SessionTokenFile.write(token, environment: environment)
        return officer
    }

    /// Ends the saved session (in the database and on disk).
    public static func logout(directory: OfficerDirectory, environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        if let token = try? SessionTokenFile.read(environment: environment) {
            try await directory.endSession(token)
        }
        SessionTokenFile.remove(environment: environment)
    }
}
