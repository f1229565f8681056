import Foundation
import Postgres

/// How an officer CLI knows who is running it:
/// 1. `KK_OFFICER` with the password in the file `KK_OFFICER_PASSWORD_FILE`
///    (or, for automation, in `KK_OFFICER_PASSWORD`): signs in on every command;
/// 2. otherwise the session token that `login` saved in `KK_SESSION_FILE`
///    (default `~/.config/kk/session`), valid for 8 hours.
public enum OfficerSignIn {
    public static func sessionFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["KK_SESSION_FILE"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".config/kk/session")
    }

    /// The signed-in officer, or `OfficerError.notSignedIn` / `.sessionExpired` / `.wrongCredentials`.
    public static func current(
        directory: OfficerDirectory, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Officer {
        if let username = environment["KK_OFFICER"], !username.isEmpty {
            let password: String
            if let file = environment["KK_OFFICER_PASSWORD_FILE"], !file.isEmpty {
                password = try PasswordInput.read(file: file, prompt: "")
            } else if let value = environment["KK_OFFICER_PASSWORD"] {
                password = value
            } else {
                throw OfficerError.notSignedIn
            }
            return try await directory.signIn(username: username, password: password)
        }
        let file = sessionFile(environment: environment)
        guard let token = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            throw OfficerError.notSignedIn
        }
        return try await directory.officer(forSession: token)
    }

    /// Signs in and saves a session token readable only by this user.
    public static func login(
        username: String, password: String, directory: OfficerDirectory,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Officer {
        let officer = try await directory.signIn(username: username, password: password)
        let token = try await directory.createSession(for: officer)
        let file = sessionFile(environment: environment)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: file.path, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIFailure("Sesi tidak dapat disimpan di \(file.path); periksa izin folder itu atau atur KK_SESSION_FILE.")
        }
        return officer
    }

    /// Ends the saved session (in the database and on disk).
    public static func logout(directory: OfficerDirectory, environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        let file = sessionFile(environment: environment)
        if let token = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) {
            try await directory.endSession(token)
        }
        try? FileManager.default.removeItem(at: file)
    }
}
