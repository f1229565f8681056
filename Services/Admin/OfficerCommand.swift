import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-admin officer add|list|disable|enable|reset-password`.
struct OfficerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "officer",
        abstract: "Manage the officers who may use the CLIs (SOP roles only).",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, SetRole.self, ResetPassword.self, RevokeSessions.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an officer.",
            discussion: "Roles: petugas_layanan (Petugas Unit Layanan & Entri), kasi_kabid (Kasi/Kabid), kepala_dinas (Kepala Dinas), petugas_cetak (Petugas Cetak).")
        @Argument(help: "Username (3-64 of a-z, 0-9, . _ -).") var username: String
        @Option(help: "Full name as printed on documents.") var name: String
        @Option(help: "NIP, the 18-digit civil-servant number.") var nip: String
        @Option(help: "SOP role.") var role: String
        @Option(help: "Read the initial password from this file (default: standard input).") var passwordFile: String?

        func run() async throws {
            guard let parsed = Role(rawValue: role), Officer.officerRoles.contains(parsed) else {
                throw CLIFailure(OfficerError.invalidRole(role).description)
            }
            let password = try PasswordInput.read(file: passwordFile, prompt: "Kata sandi untuk \(username): ")
            try await withDirectory { directory in
                let officer = try await directory.add(username: username, fullName: name, nip: nip, role: parsed, password: password)
                print("Petugas \(officer.username) (\(officer.role.indonesianName)) terdaftar.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the officers.")
        func run() async throws {
            try await withDirectory { directory in
                for o in try await directory.list() {
                    print("\(o.username)\t\(o.fullName)\t\(o.nip)\t\(o.role.indonesianName)\t\(o.active ? "aktif" : "nonaktif")")
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an officer: their sessions end at once and the requests they had taken go back to their queues.")
        @Argument var username: String
        func run() async throws {
            var released = 0
            try await withDirectory { released = try await $0.setActive(username, false) }
            print("Petugas \(username) dinonaktifkan; \(released) permohonan yang diambilnya dikembalikan ke antrean.")
        }
    }

    struct RevokeSessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-sessions", abstract: "End every session of an officer at once (a lost laptop, a suspicion); they must sign in again.")
        @Argument var username: String
        func run() async throws {
            var ended = 0
            try await withDirectory { ended = try await $0.revokeSessions(of: username) }
            print("\(ended) sesi petugas \(username) diakhiri; petugas harus masuk lagi.")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled officer again.")
        @Argument var username: String
        func run() async throws {
            try await withDirectory { _ = try await $0.setActive(username, true) }
            print("Petugas \(username) diaktifkan.")
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-role", abstract: "Move an officer to another SOP role (their sessions end).",
            discussion: "Roles: petugas_layanan, kasi_kabid, kepala_dinas, petugas_cetak. Four eyes still apply to what they prepared before.")
        @Argument var username: String
        @Argument(help: "The new SOP role.") var role: String
        func run() async throws {
            guard let parsed = Role(rawValue: role), Officer.officerRoles.contains(parsed) else {
                throw CLIFailure(OfficerError.invalidRole(role).description)
            }
            try await withDirectory { try await $0.setRole(username, parsed) }
            print("Petugas \(username) sekarang \(parsed.indonesianName).")
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "Set a new password (their sessions end).")
        @Argument var username: String
        @Option(help: "Read the new password from this file (default: standard input).") var passwordFile: String?
        func run() async throws {
            let password = try PasswordInput.read(file: passwordFile, prompt: "Kata sandi baru untuk \(username): ")
            try await withDirectory { try await $0.resetPassword(username, to: password) }
            print("Kata sandi \(username) diperbarui.")
        }
    }
}

private func withDirectory(_ body: (OfficerDirectory) async throws -> Void) async throws {
    try await withOfficerDirectory(body)
}
