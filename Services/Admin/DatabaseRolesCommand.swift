import ArgumentParser
import Foundation
import KKStore
import Postgres

/// `kk-admin db-roles --passwords DIR`: lets each service's database role sign
/// in with its own password (the roles and their grants come from `migrate`).
struct DatabaseRolesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db-roles",
        abstract: "Beri peran basis data setiap layanan (kk_gateway, kk_intake, ...) kata sandinya, agar peran itu dapat masuk.",
        discussion: """
            DIR berisi satu berkas per layanan, dinamai menurut layanannya (kk-gateway, kk-intake, ..., kk-admin), masing-masing
            berisi kata sandi peran itu (12 karakter atau lebih); peran tanpa berkas dibiarkan seperti adanya. Jalankan setelah
            `migrate`, dengan KK_DATABASE_URL pemilik; lalu setiap layanan terhubung dengan KK_DATABASE_USER=kk_<nama> dan
            KK_DATABASE_PASSWORD_FILE. Aman dijalankan lagi (kata sandi berubah bila berkasnya berubah).
            """)
    @Option(help: "Folder berkas kata sandi.") var passwords: String

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
