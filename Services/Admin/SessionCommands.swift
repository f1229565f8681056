import ArgumentParser
import Foundation
import KKRuntime
import Postgres

/// `kk-admin login|logout|whoami`: the officer session every officer CLI uses.
struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Masuk sebagai petugas (sign in); the session is used by every officer CLI for 8 hours.")
    @Argument(help: "Nama pengguna petugas.") var username: String
    @Option(help: "Read the password from this file (default: prompt or standard input).") var passwordFile: String?

    func run() async throws {
        let password = try PasswordInput.read(file: passwordFile, prompt: "Kata sandi: ")
        try await withOfficerDirectory { directory in
            let officer = try await OfficerSignIn.login(username: username, password: password, directory: directory)
            print("Selamat datang, \(officer.fullName) (\(officer.role.indonesianName)). Sesi berlaku 8 jam.")
        }
    }
}

struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Keluar (end the saved session).")
    func run() async throws {
        try await withOfficerDirectory { try await OfficerSignIn.logout(directory: $0) }
        print("Anda sudah keluar.")
    }
}

struct WhoAmI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show the signed-in officer.")
    func run() async throws {
        try await withOfficerDirectory { directory in
            let officer = try await OfficerSignIn.current(directory: directory)
            print("\(officer.username)\t\(officer.fullName)\tNIP \(officer.nip)\t\(officer.role.indonesianName)")
        }
    }
}

/// Opens the officers table and turns officer errors into plain CLI messages.
func withOfficerDirectory(_ body: (OfficerDirectory) async throws -> Void) async throws {
    let env = try CLIEnvironment.load(needsKafka: false)
    let pool = try await PostgresPool.connect(url: env.databaseURL, size: 1, logger: CLILogger.make("kk-admin"))
    do {
        try await body(OfficerDirectory(pool: pool))
        await pool.close()
    } catch let error as OfficerError {
        await pool.close()
        throw CLIFailure(error.description)
    } catch {
        await pool.close()
        throw error
    }
}
