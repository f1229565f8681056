import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// A request's timeline against the SOP's standards (audited against the request).
struct RequestTimelineOperation: RequestOperation {
    static let name = "request-show"
    static let allowed: Set<Role> = [.admin, .verifier, .headOfDepartment]
    let number: String

    func perform(_ call: OfficerCall) async throws -> [String] {
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            let timeline = RequestTimeline(
                events: try await RequestStore.events(of: request.id, in: tx), touches: try await OfficerTouch.of(request.id, in: tx))
            return ["Permohonan \(request.number) (\(request.purpose)): \(request.state.indonesianName)"] + timeline.lines()
        }
    }
}

/// `kk-admin request show <no>`.
struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "Lihat satu permohonan.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Riwayat lengkap permohonan: setiap langkah, oleh siapa, kapan, berapa lama dibanding standar SOP.",
            discussion: "Untuk admin, Kasi/Kabid atau Kepala Dinas; tercatat di log audit.")
        @Argument(help: "Nomor permohonan, misalnya KK-20261125-000001.") var number: String
        @OptionGroup var server: ServerOption

        func run() async throws {
            try await server.client(.admin).call(RequestTimelineOperation(number: number)).forEach { print($0) }
        }
    }
}
