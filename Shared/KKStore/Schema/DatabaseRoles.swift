import Foundation
import KKConfiguration
import Postgres

/// Each service connects to PostgreSQL as a role of its own (`kk_intake`,
/// ...), with only the grants its tables need (migration 0019); the owner
/// role that runs the migrations owns every table, so no service can alter or
/// drop one, and none can change the audit or the event log.
public enum DatabaseRoles {
    /// The executables that connect to the database, each with its role.
    public static let services = ["kk-gateway", "kk-intake", "kk-entry", "kk-verify", "kk-sign", "kk-deliver", "kk-archive", "kk-admin"]

    /// `kk-intake` → `kk_intake`.
    public static func role(of service: String) -> String {
        service.replacingOccurrences(of: "-", with: "_")
    }

    /// Lets each service's role sign in with its own password, read from
    /// `directory/<service>` (e.g. /run/secrets/db/kk-intake); the roles and
    /// their grants come from the migrations. Returns the roles changed.
    public static func enableLogins(passwordsIn directory: URL, in tx: PostgresTransaction) async throws -> [String] {
        var changed: [String] = []
        for service in services {
            let file = directory.appendingPathComponent(service)
            guard let data = FileManager.default.contents(atPath: file.path) else { continue }
            let password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            try SecretValue.check(password, variable: "\(file.path)", minimumLength: 12)
            // ALTER ROLE takes no parameters, so it gets the SCRAM verifier as a literal,
            // never the password: nothing the server logs can show it.
            let verifier = try await tx.connection.scramVerifier(password: password, role: role(of: service))
            let literal = "'" + verifier.replacingOccurrences(of: "'", with: "''") + "'"
            try await tx.execute("ALTER ROLE \(unescaped: role(of: service)) LOGIN PASSWORD \(unescaped: literal)")
            changed.append(role(of: service))
        }
        return changed
    }
}
