import Foundation
import KKStore

/// On the local stack every service daemon connects as its own database role
/// (`DatabaseRoles`), as in a deployment and by the same setting
/// (`KK_DATABASE_USER`): the tests, the benchmark and the demo start
/// `kk-<name> serve` with the owner's URL and the role's name beside it.
public enum LocalServiceRole {
    /// The owner's user in the local stack's URL (`deploy/local/stack.sh`).
    static let owner = "kk"

    /// `environment` for `binary arguments`: a service daemon on the owner's URL connects as its role.
    public static func environment(_ environment: [String: String], binary: String, arguments: [String]) -> [String: String] {
        guard arguments.first == "serve", DatabaseRoles.services.contains(binary), let url = environment["KK_DATABASE_URL"],
            URLComponents(string: url)?.user == owner, environment["KK_DATABASE_USER"] == nil
        else { return environment }
        var environment = environment
        environment["KK_DATABASE_USER"] = DatabaseRoles.role(of: binary)
        return environment
    }
}
