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
        abstract: "Kelola petugas yang boleh memakai CLI (perlu sesi admin).",
        discussion: """
            Memberi atau mencabut peran kepala_dinas atau admin, dan kata sandi baru bagi pemegang peran itu, menunggu
            persetujuan admin kedua: `officer pending` menampilkannya, `officer approve <no>` atau `officer reject <no>` memutuskan.
            """,
        subcommands: [
            Add.self, List.self, Disable.self, Enable.self, SetRole.self, ResetPassword.self, RevokeSessions.self, Pending.self,
            Approve.self, Reject.self,
        ])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Daftarkan petugas.",
            discussion:
                "Peran: petugas_layanan (Petugas Unit Layanan & Entri), kasi_kabid (Kasi/Kabid), kepala_dinas (Kepala Dinas), petugas_cetak (Petugas Cetak), admin (Administrator sistem)."
        )
        @Argument(help: "Nama pengguna (3-64 karakter a-z, 0-9, . _ -).") var username: String
        @Option(help: "Nama lengkap seperti tercetak pada dokumen.") var name: String
        @Option(help: "NIP, nomor induk pegawai 18 angka.") var nip: String
        @Option(help: "Peran.") var role: String
        @Option(help: "Baca kata sandi awal dari berkas ini (bawaan: input standar).") var passwordFile: String?
        @OptionGroup var server: ServerOption

        func run() async throws {
            let parsed = try OfficerRoleArgument.parse(role)
            let password = try PasswordInput.read(file: passwordFile, prompt: "Kata sandi untuk \(username): ")
            print(try await server.client(.admin).call(AddOfficer(username: username, fullName: name, nip: nip, role: parsed, password: password)))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tampilkan daftar petugas.")
        @OptionGroup var server: ServerOption
        func run() async throws {
            try await server.client(.admin).call(ListOfficers()).forEach { print($0) }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Nonaktifkan petugas: sesinya langsung berakhir dan permohonan yang diambilnya kembali ke antreannya.")
        @Argument var username: String
        @OptionGroup var server: ServerOption
        func run() async throws {
            let released = try await server.client(.admin).call(SetOfficerActive(username: username, active: false))
            print("Petugas \(username) dinonaktifkan; \(released) permohonan yang diambilnya dikembalikan ke antrean.")
        }
    }

    struct RevokeSessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-sessions", abstract: "Akhiri semua sesi petugas seketika (laptop hilang, ada kecurigaan); petugas harus masuk lagi.")
        @Argument var username: String
        @OptionGroup var server: ServerOption
        func run() async throws {
            let ended = try await server.client(.admin).call(RevokeOfficerSessions(username: username))
            print("\(ended) sesi petugas \(username) diakhiri; petugas harus masuk lagi.")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Aktifkan lagi petugas yang dinonaktifkan.")
        @Argument var username: String
        @OptionGroup var server: ServerOption
        func run() async throws {
            _ = try await server.client(.admin).call(SetOfficerActive(username: username, active: true))
            print("Petugas \(username) diaktifkan.")
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-role", abstract: "Pindahkan petugas ke peran lain (sesinya berakhir).",
            discussion: "Peran: petugas_layanan, kasi_kabid, kepala_dinas, petugas_cetak, admin. Prinsip empat mata tetap berlaku atas yang disiapkannya dulu.")
        @Argument var username: String
        @Argument(help: "Peran baru.") var role: String
        @OptionGroup var server: ServerOption
        func run() async throws {
            let parsed = try OfficerRoleArgument.parse(role)
            print(try await server.client(.admin).call(SetOfficerRole(username: username, role: parsed)))
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "Tetapkan kata sandi baru (sesi petugas berakhir).")
        @Argument var username: String
        @Option(help: "Baca kata sandi baru dari berkas ini (bawaan: input standar).") var passwordFile: String?
        @OptionGroup var server: ServerOption
        func run() async throws {
            let password = try PasswordInput.read(file: passwordFile, prompt: "Kata sandi baru untuk \(username): ")
            print(try await server.client(.admin).call(ResetOfficerPassword(username: username, password: password)))
        }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Perubahan yang menunggu persetujuan admin kedua.")
        @OptionGroup var server: ServerOption
        func run() async throws {
            let changes = try await server.client(.admin).call(PendingOfficerChanges())
            if changes.isEmpty { print("Tidak ada perubahan yang menunggu persetujuan.") }
            changes.forEach { print($0) }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Setujui perubahan yang diminta admin lain; langsung berlaku.")
        @Argument(help: "Nomor perubahan, seperti ditampilkan `officer pending`.") var id: Int64
        @OptionGroup var server: ServerOption
        func run() async throws {
            print(try await server.client(.admin).call(DecideOfficerChange(id: id, approve: true)))
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tolak perubahan yang diminta admin lain; tidak ada yang berubah.")
        @Argument(help: "Nomor perubahan, seperti ditampilkan `officer pending`.") var id: Int64
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
