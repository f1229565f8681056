import ArgumentParser
import Foundation
import KKDomain
import KKOfficerCLI
import KKOfficers
import KKStore
import Postgres

/// `kk-admin bootstrap-admin`: the installation's first administrator, made
/// once by the operator holding the database owner's credential; refused as
/// soon as an administrator exists. Every later administrator is added by an
/// administrator and approved by a second one; for the second administrator
/// of a new installation (when only one exists) the operator approves with
/// `--approve-second-admin`.
struct BootstrapAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap-admin",
        abstract: "Buat admin pertama (ditolak bila sudah ada), atau setujui pendaftaran admin kedua.",
        discussion: """
            kk-admin bootstrap-admin <username> --name "..." --nip <18 angka> [--password-file F]
            kk-admin bootstrap-admin --approve-second-admin <no>   (hanya selama baru ada satu admin)
            Membaca KK_DATABASE_URL (peran pemilik). Tercatat di log audit.
            """)
    @Argument(help: "Nama pengguna admin.") var username: String?
    @Option(help: "Nama lengkap.") var name: String?
    @Option(help: "NIP, 18 angka.") var nip: String?
    @Option(help: "Baca kata sandi dari berkas ini (bawaan: ditanyakan di terminal atau dari input standar).") var passwordFile: String?
    @Option(help: "Setujui permintaan admin pertama mendaftarkan admin kedua (nomornya ada di `kk-admin officer pending`).")
    var approveSecondAdmin: Int64?

    func validate() throws {
        if approveSecondAdmin == nil && (username == nil || name == nil || nip == nil) {
            throw ValidationError("Sebutkan <username> --name dan --nip admin pertama, atau --approve-second-admin <no>.")
        }
        if approveSecondAdmin != nil && username != nil {
            throw ValidationError("--approve-second-admin dipakai sendiri, tanpa <username>.")
        }
    }

    func run() async throws {
        let operatorName = "operator:\(ProcessInfo.processInfo.environment["USER"] ?? "root")"
        if let id = approveSecondAdmin {
            try await withPool { pool in
                try await pool.withTransaction { tx in
                    try await tx.execute("SELECT pg_advisory_xact_lock(hashtext('kk-admin bootstrap'))")
                    guard try await OfficerAccounts.activeAdministrators(in: tx) == 1 else {
                        throw CLIFailure(
                            "Sudah ada lebih dari satu admin (atau belum ada sama sekali): perubahan disetujui oleh admin lain dengan `kk-admin officer approve \(id)`."
                        )
                    }
                    guard let change = try await OfficerChanges.pending(in: tx).first(where: { $0.id == id }),
                        change.kind == .add, change.role == Role.admin.rawValue
                    else { throw CLIFailure("Perubahan #\(id) bukan pendaftaran admin yang menunggu; lihat `kk-admin officer pending`.") }
                    _ = try await OfficerChanges.decide(id, approve: true, by: operatorName, in: tx)
                    try await AuditLog.record(
                        username: operatorName, role: "operator", service: "kk-admin", command: "bootstrap-admin", requestID: nil, outcome: .ok,
                        detail: "admin kedua \(change.username) disetujui (#\(id))", in: tx)
                    print("Admin kedua \(change.username) terdaftar; perubahan peran Kepala Dinas dan admin selanjutnya disetujui sesama admin.")
                }
            }
            return
        }
        guard let username, let name, let nip else { return }
        try OfficerAccounts.validate(username: username, nip: nip, role: .admin)
        let password = try PasswordInput.read(file: passwordFile, prompt: "Kata sandi untuk \(username): ")
        let hash = try OfficerAccounts.hash(password)
        try await withPool { pool in
            try await pool.withTransaction { tx in
                try await tx.execute("SELECT pg_advisory_xact_lock(hashtext('kk-admin bootstrap'))")
                guard try await tx.query("SELECT 1 FROM officers WHERE role = 'admin'").rows.isEmpty else { throw OfficerError.administratorExists }
                _ = try await OfficerAccounts.insert(username: username, fullName: name, nip: nip, role: .admin, passwordHash: hash, in: tx)
                try await AuditLog.record(
                    username: operatorName, role: "operator", service: "kk-admin", command: "bootstrap-admin", requestID: nil, outcome: .ok,
                    detail: "admin pertama \(username)", in: tx)
            }
        }
        print("Admin pertama \(username) terdaftar. Masuk dengan `kk-admin login \(username)` (kk-admin serve harus berjalan).")
    }
}

/// `kk-admin mark-production`: marks the database as the office's production
/// system, for good; development helpers refuse to run on it from then on.
struct MarkProduction: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark-production",
        abstract: "Tandai basis data ini sebagai produksi, untuk seterusnya: sejak itu `kk-dev register-seed` dan kunci pengembangan ditolak.",
        discussion: "Membaca KK_DATABASE_URL (peran pemilik). Tercatat di log audit.")

    func run() async throws {
        let operatorName = "operator:\(ProcessInfo.processInfo.environment["USER"] ?? "root")"
        try await withPool { pool in
            try await pool.withTransaction { tx in
                try await Installation.markProduction(in: tx)
                try await AuditLog.record(
                    username: operatorName, role: "operator", service: "kk-admin", command: "mark-production", requestID: nil, outcome: .ok,
                    detail: nil, in: tx)
            }
        }
        print("Basis data ini sekarang ditandai PRODUKSI; data contoh dan kunci pengembangan ditolak.")
    }
}
