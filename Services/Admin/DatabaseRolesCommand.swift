import ArgumentParser
import Foundation
import KKStore
import Postgres

/// `kk-admin db-roles --passwords DIR`: lets each service's database role sign
/// in with its own password (the roles and their grants come from `migrate`).
struct DatabaseRolesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db-roles",
        abstract: "Give each service's database role (kk_gateway, kk_intake, ...) its password, so it can sign in.",
        discussion: """
            DIR holds one file per service, named after it (kk-gateway, kk-intake, ..., kk-admin), each with that
            role's password (12 characters or more); a missing file leaves its role as it is. Run after `migrate`,
            with the owner's KK_DATABASE_URL; each service then connects with KK_DATABASE_USER=kk_<name> and
            KK_DATABASE_PASSWORD_FILE. Safe to run again (a password changes when its file does).
            """)
    @Option(help: "The folder of password files.") var passwords: String

    func run() async throws {
        let roles = try await withPool { pool in
            try await pool.withTransaction { try await DatabaseRoles.enableLogins(passwordsIn: URL(fileURLWithPath: passwords), in: $0) }
        }
        print(
            roles.isEmpty
                ? "Tidak ada berkas kata sandi di \(passwords); tidak ada peran yang diubah." : "Peran basis data siap masuk: \(roles.joined(separator: ", "))."
        )
    }
}
