import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKOfficers
import KKStore

/// `kk-admin officer ...`: the officers, through the administrators' API.
struct OfficerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "officer",
        abstract: "Manage the officers who may use the CLIs (needs an admin session).",
        discussion: """
            Giving or taking the kepala_dinas or admin role, and a new password for someone holding one, wait for a
            second administrator: `officer pending` lists them, `officer approve <no>` or `officer reject <no>` decides.
            """,
        subcommands: [
            Add.self, List.self, Disable.self, Enable.self, SetRole.self, ResetPassword.self, RevokeSessions.self, Pending.self,
            Approve.self, Reject.self,
        ])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an officer.",
            discussion:
                "Roles: petugas_layanan (Petugas Unit Layanan & Entri), kasi_kabid (Kasi/Kabid), kepala_dinas (Kepala Dinas), petugas_cetak (Petugas Cetak), admin (Administrator sistem)."
        )
        @Argument(help: "Username (3-64 of a-z, 0-9, . _ -).") var username: String
        @Option(help: "Full name as printed on documents.") var name: String
        @Option(help: "NIP, the 18-digit civil-servant number.") var nip: String
        @Option(help: "Role.") var role: String
        @Option(help: "Read the initial password from this file (default: standard input).") var passwordFile: String?
        @OptionGroup var server: ServerOption

        func run() async throws {
            let parsed = try OfficerRoleArgument.parse(role)
            let password = try PasswordInput.read(file: passwordFile, prompt: "Kata sandi untuk \(username): ")
            print(try await server.client(.admin).call(AddOfficer(username: username, fullName: name, nip: nip, role: parsed, password: password)))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the officers.")
        @OptionGroup var server: ServerOption
        func run() async throws {
            try await server.client(.admin).call(ListOfficers()).forEach { print($0) }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an officer: their sessions end at once and the requests they had taken go back to their queues.")
        @Argument var username: String
        @OptionGroup var server: ServerOption
        func run() async throws {
            let released = try await server.client(.admin).call(SetOfficerActive(username: username, active: false))
            print("Petugas \(username) dinonaktifkan; \(released) permohonan yang diambilnya dikembalikan ke antrean.")
        }
    }

    struct RevokeSessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-sessions", abstract: "End every session of an officer at once (a lost laptop, a suspicion); they must sign in again.")
        @Argument var username: String
        @OptionGroup var server: ServerOption
        func run() async throws {
            let ended = try await server.client(.admin).call(RevokeOfficerSessions(username: username))
            print("\(ended) sesi petugas \(username) diakhiri; petugas harus masuk lagi.")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled officer again.")
        @Argument var username: String
        @OptionGroup var server: ServerOption
        func run() async throws {
            _ = try await server.client(.admin).call(SetOfficerActive(username: username, active: true))
            print("Petugas \(username) diaktifkan.")
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-role", abstract: "Move an officer to another role (their sessions end).",
            discussion: "Roles: petugas_layanan, kasi_kabid, kepala_dinas, petugas_cetak, admin. Four eyes still apply to what they prepared before.")
        @Argument var username: String
        @Argument(help: "The new role.") var role: String
        @OptionGroup var server: ServerOption
        func run() async throws {
            let parsed = try OfficerRoleArgument.parse(role)
            print(try await server.client(.admin).call(SetOfficerRole(username: username, role: parsed)))
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "Set a new password (their sessions end).")
        @Argument var username: String
        @Option(help: "Read the new password from this file (default: standard input).") var passwordFile: String?
        @OptionGroup var server: ServerOption
        func run() async throws {
            let password = try PasswordInput.read(file: passwordFile, prompt: "Kata sandi baru untuk \(username): ")
            print(try await server.client(.admin).call(ResetOfficerPassword(username: username, password: password)))
        }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The changes waiting for a second administrator.")
        @OptionGroup var server: ServerOption
        func run() async throws {
            let changes = try await server.client(.admin).call(PendingOfficerChanges())
            if changes.isEmpty { print("Tidak ada perubahan yang menunggu persetujuan.") }
            changes.forEach { print($0) }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve another administrator's waiting change; it takes effect at once.")
        @Argument(help: "The change's number, as `officer pending` shows it.") var id: Int64
        @OptionGroup var server: ServerOption
        func run() async throws {
            print(try await server.client(.admin).call(DecideOfficerChange(id: id, approve: true)))
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject another administrator's waiting change; nothing changes.")
        @Argument(help: "The change's number, as `officer pending` shows it.") var id: Int64
        @OptionGroup var server: ServerOption
        func run() async throws {
            print(try await server.client(.admin).call(DecideOfficerChange(id: id, approve: false)))
        }
    }
}

/// A role named on the command line, refused with the list of roles.
enum OfficerRoleArgument {
    static func parse(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text), Officer.officerRoles.contains(role) else {
            throw CLIFailure(OfficerError.invalidRole(text).description)
        }
        return role
    }
}
