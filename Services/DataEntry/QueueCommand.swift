import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The entry queue (SOP 3-4) as the service officer reads it, oldest first.
struct EntryQueue: OfficerOperation {
    static let name = "queue"
    static let allowed: Set<Role> = [.serviceOfficer]

    func perform(_ call: OfficerCall) async throws -> [String] {
        try await call.transaction { tx in
            try await OfficerQueue.entry.list(in: tx).map { entry, request in
                let detail = request.reason.hasDataEntry ? (request.state == .entered ? "data sudah dientri" : "") : "tanpa entri data"
                return QueueListing.line(request, entry: entry, steps: [.s3, .s4], detail: detail)
            }
        }
    }
}

/// `kk-entry queue`: accepted requests waiting for data entry and the print request (SOP 3-4).
struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Antrean entri data (SOP 3-4), yang terlama di atas, dengan lama menunggu dibanding standar dan petugas yang menanganinya.")
    @OptionGroup var server: ServerOption

    func run() async throws {
        let lines = try await server.client(.entry).call(EntryQueue())
        if lines.isEmpty {
            print("Antrean entri data kosong.")
        } else {
            print("\(lines.count) permohonan di antrean entri data (SOP 3-4):")
            lines.forEach { print($0) }
        }
    }
}
