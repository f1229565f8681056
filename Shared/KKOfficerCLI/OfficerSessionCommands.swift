import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI

/// An officer CLI: the service it talks to and the SOP roles its officer
/// commands are for, for the shared commands (login, media, ...).
public protocol OfficerCLI {
    static var service: OfficerService { get }
    static var officerRoles: Set<Role> { get }
}

/// `--server URL`: every officer command's way to name its service's address.
public struct ServerOption: ParsableArguments {
    @Option(name: .customLong("server"), help: "Alamat layanan (default: KK_<LAYANAN>_URL, KK_API_URL, atau http://127.0.0.1:<port>).")
    public var url: String?

    public init() {}

    public func client(_ service: OfficerService) throws -> OfficerAPIClient {
        try OfficerAPIClient(service: service, server: url)
    }
}

/// `login <username>`: exchanges the password for a session token from the
/// service; the token is saved for this OS user only.
public struct LoginCommand<CLI: OfficerCLI>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "login",
            abstract: "Masuk sebagai petugas: kata sandi ditukar dengan token sesi dari layanan, disimpan hanya untuk pengguna OS ini.")
    }
    @Argument(help: "Nama pengguna petugas.") var username: String
    @Option(help: "Baca kata sandi dari berkas ini (default: ditanyakan, atau dari standar input).") var passwordFile: String?
    @OptionGroup var server: ServerOption

    public init() {}

    public func run() async throws {
        let password = try PasswordInput.read(file: passwordFile, prompt: "Kata sandi: ")
        let session = try await server.client(CLI.service).signIn(username: username, password: password)
        try SessionTokenFile.write(session.token)
        print(
            "Selamat datang, \(session.officer.fullName) (\(session.officer.roleName)). Sesi berakhir setelah \(session.idleMinutes) menit "
                + "tidak dipakai, paling lama \(session.maxHours) jam.")
    }
}

/// `logout`: ends the session on the server and deletes the token file.
public struct LogoutCommand<CLI: OfficerCLI>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "logout", abstract: "Keluar: sesi diakhiri di layanan dan token dihapus dari komputer ini.")
    }
    @OptionGroup var server: ServerOption

    public init() {}

    public func run() async throws {
        if let token = try SessionTokenFile.read() {
            try? await server.client(CLI.service).signOut(token: token)
        }
        SessionTokenFile.remove()
        print("Anda sudah keluar.")
    }
}

/// `whoami`: the officer the saved session belongs to, as the service sees it.
public struct WhoAmICommand<CLI: OfficerCLI>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "whoami", abstract: "Tampilkan petugas yang sedang masuk.")
    }
    @OptionGroup var server: ServerOption

    public init() {}

    public func run() async throws {
        let client = try server.client(CLI.service)
        let officer = try await client.withSession { try await client.whoAmI(token: $0.token) }
        print("\(officer.username)\t\(officer.fullName)\tNIP \(officer.nip)\t\(officer.roleName)")
    }
}
