import Foundation
import KKOfficers

/// How an officer CLI knows who is running it:
/// 1. `KK_OFFICER` with the password in the file `KK_OFFICER_PASSWORD_FILE`
///    (or, for automation, in `KK_OFFICER_PASSWORD`): signs in on every command;
/// 2. otherwise the session token that `login` saved (see `SessionTokenFile`).
///
/// Every CLI, kk-admin included, signs in through its service's API
/// (`OfficerAPIClient`); the sessions table lives with the services.
public enum OfficerSignIn {
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
}
