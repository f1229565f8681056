import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The Kasi/Kabid takes a print request from the verification queue; no other
/// Kasi/Kabid can work on it.
struct TakeForVerification: RequestOperation {
    static let name = "take"
    static let allowed: Set<Role> = [.verifier]
    let number: String

    func perform(_ call: OfficerCall) async throws -> Done {
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            try await OfficerQueue.verification.take(request, by: call.officer, in: tx)
        }
        return Done()
    }
}

/// `kk-verify take <no>`.
struct Take: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ambil permohonan dari antrean verifikasi (Kasi/Kabid lain tidak dapat memprosesnya).")
    @Argument(help: "Nomor permohonan.") var number: String
    @OptionGroup var server: ServerOption

    func run() async throws {
        _ = try await server.client(.verify).call(TakeForVerification(number: number))
        print("Permohonan \(number.uppercased()) diambil untuk diverifikasi. Lihat dengan `kk-verify show \(number.uppercased())`.")
    }
}
