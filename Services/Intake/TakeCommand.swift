import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The service officer takes a complete request from the intake queue to check
/// its documents: until she opens or returns it (or a Kasi/Kabid releases it),
/// no other officer may. `open` and `return` take an untaken request themselves.
struct TakeForIntake: RequestOperation {
    static let name = "take"
    static let allowed: Set<Role> = [.serviceOfficer]
    let number: String

    func perform(_ call: OfficerCall) async throws -> String {
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            try await OfficerQueue.intake.take(request, by: call.officer, in: tx)
            return "Permohonan \(request.number) diambil oleh \(call.officer.username). Periksa berkasnya dengan `kk-intake show \(request.number)`, "
                + "lalu `kk-intake open \(request.number)` bila lengkap atau `kk-intake return \(request.number) --missing ... --reason ...`."
        }
    }
}

/// `kk-intake take <no>`.
struct Take: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ambil permohonan dari antrean penerimaan berkas (SOP 2) untuk diperiksa; petugas lain tidak dapat membuka atau mengembalikannya.")
    @Argument(help: "Nomor permohonan.") var number: String
    @OptionGroup var server: ServerOption

    func run() async throws {
        print(try await server.client(.intake).call(TakeForIntake(number: number)))
    }
}
