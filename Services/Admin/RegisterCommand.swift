import ArgumentParser
import Foundation
import KKDomain
import KKLogging
import KKOfficerAPI
import KKOfficerCLI
import KKOfficers
import KKStore
import Postgres

/// Loads the sample families; refused on a production database. Its client is
/// `kk-dev register-seed` (a development tool, not in the production image).
struct SeedRegister: OfficerOperation {
    static let name = "register-seed"
    static let allowed: Set<Role> = [.admin]
    let families: Int
    let seed: UInt64

    func perform(_ call: OfficerCall) async throws -> [String] {
        guard (1...100_000).contains(families) else { throw CLIFailure("--families harus antara 1 dan 100000.") }
        let records = SampleFamilies.generate(count: families, seed: seed, today: CalendarDate(Date()))
        let added = try await call.transaction(detail: "\(families) keluarga contoh, seed \(seed)") { tx -> Int in
            try await Installation.requireDevelopment("register-seed", in: tx)
            var added = 0
            for record in records {
                let exists = try await tx.query("SELECT 1 FROM families WHERE kk_number = \(record.kkNumber.value)").rows.isEmpty == false
                if exists { continue }
                try await FamilyRegister.append(record, source: .sample, in: tx)
                added += 1
            }
            return added
        }
        var lines = [
            "\(added) keluarga ditambahkan (\(records.count - added) sudah ada), \(records.reduce(0) { $0 + $1.members.count }) anggota dalam data contoh."
        ]
        if let first = records.first {
            lines.append("Contoh: KK \(first.kkNumber.value), \(first.head?.fullName ?? "-"), Kec. \(first.address.district).")
        }
        return lines
    }
}

/// A family's current data and its versions: a read of personal data, audited.
struct ShowFamily: OfficerOperation {
    static let name = "register-show"
    static let allowed: Set<Role> = [.admin]
    let kk: String

    func perform(_ call: OfficerCall) async throws -> [String] {
        try await call.transaction(detail: "KK \(PersonalDataMasker.mask(kk))") { tx in
            let versions = try await FamilyRegister.versions(of: kk, in: tx)
            guard let current = versions.last else { throw FamilyRegisterError.familyNotFound(kk) }
            var lines = FamilyText.record(current.record)
            lines.append("Versi:")
            lines += versions.map { "  \($0.version)  \($0.source)  \(WIBTime.format($0.createdAt))\($0.requestID.map { "  permohonan \($0)" } ?? "")" }
            return lines
        }
    }
}

/// `kk-admin register show`: the family register (SIAK's place). Sample families: `kk-dev register-seed`.
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register keluarga: tampilkan keluarga dan versinya (perlu sesi admin; keluarga contoh: kk-dev register-seed).",
        subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tampilkan data keluarga saat ini dan daftar versinya (tercatat di log audit).")
        @Argument(help: "Nomor KK, 16 angka.") var kk: String
        @OptionGroup var server: ServerOption

        func run() async throws {
            try await server.client(.admin).call(ShowFamily(kk: kk)).forEach { print($0) }
        }
    }
}
