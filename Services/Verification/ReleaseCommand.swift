import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI

/// A Kasi/Kabid puts a request another officer has taken back in its queue.
struct ReleaseRequest: RequestOperation {
    static let name = "release"
    static let allowed: Set<Role> = [.verifier]
    let number: String
    let reason: String

    func perform(_ call: OfficerCall) async throws -> String {
        try await RequestAssignment.move(number, to: nil, reason: reason, call: call)
    }
}

/// `kk-verify release <no> --reason ...`.
struct Release: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lepaskan permohonan yang diambil petugas lain kembali ke antreannya (alasan wajib; petugas itu diberi tahu).")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(help: "Alasan, tercatat di log audit dan dikirim ke petugas yang mengambilnya.") var reason: String
    @OptionGroup var server: ServerOption

    func validate() throws { try RequestAssignment.checkReason(reason) }

    func run() async throws {
        print(try await server.client(.verify).call(ReleaseRequest(number: number, reason: reason)))
    }
}
