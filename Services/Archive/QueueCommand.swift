import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// Delivered KKs waiting for the print officer to archive them (SOP 10 with
/// `KK_ARCHIVE_MODE=print-officer`), oldest first.
struct ArchiveQueue: PrintOfficerOperation {
    static let name = "queue"

    func perform(_ call: OfficerCall) async throws -> [String] {
        try await call.transaction { tx in
            try await OfficerQueue.archive.list(in: tx).map { entry, request in
                QueueListing.line(request, entry: entry, steps: [.s10], detail: "diterima pemohon; arsipkan: kk-archive confirm \(request.number)")
            }
        }
    }
}

/// `kk-archive queue`.
struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "KK yang sudah diterima pemohon dan menunggu diarsipkan petugas cetak (SOP 10, bila kantor memakai KK_ARCHIVE_MODE=print-officer).")
    @OptionGroup var server: ServerOption

    func run() async throws {
        let lines = try await server.client(.archive).call(ArchiveQueue())
        if lines.isEmpty {
            print("Tidak ada KK yang menunggu diarsipkan petugas.")
        } else {
            print("\(lines.count) KK menunggu diarsipkan (SOP 10):")
            lines.forEach { print($0) }
        }
    }
}
