import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI

/// A Kasi/Kabid gives a request another officer has taken to a third officer of the same role.
struct ReassignRequest: RequestOperation {
    static let name = "reassign"
    static let allowed: Set<Role> = [.verifier]
    let number: String
    let to: String
    let reason: String

    func perform(_ call: OfficerCall) async throws -> String {
        try await RequestAssignment.move(number, to: to, reason: reason, call: call)
    }
}

/// `kk-verify reassign <no> --to <petugas> --reason ...`.
struct Reassign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Alihkan permohonan yang diambil petugas lain kepada petugas lain dengan peran yang sama (alasan wajib; keduanya diberi tahu).")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(help: "Nama pengguna petugas yang menerima permohonan.") var to: String
    @Option(help: "Alasan, tercatat di log audit dan dikirim ke kedua petugas.") var reason: String
    @OptionGroup var server: ServerOption

    func validate() throws { try RequestAssignment.checkReason(reason) }

    func run() async throws {
        print(try await server.client(.verify).call(ReassignRequest(number: number, to: to, reason: reason)))
    }
}
