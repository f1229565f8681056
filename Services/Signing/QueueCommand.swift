import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// The verified drafts waiting for the Kepala Dinas' signature (SOP 7), oldest first.
struct SigningQueue: OfficerOperation {
    static let name = "queue"
    static let allowed: Set<Role> = [.headOfDepartment]

    struct Item: Codable, Sendable {
        let number: String
        let line: String
        /// Taken by another Kepala Dinas (or acting one): not hers to sign in a batch.
        let takenByAnother: Bool
    }

    func perform(_ call: OfficerCall) async throws -> [Item] {
        try await call.transaction { tx in
            var items: [Item] = []
            for (entry, request) in try await OfficerQueue.signing.list(in: tx) {
                let draft = try await FamilyDraft.load(requestID: request.id, in: tx)
                items.append(
                    Item(
                        number: request.number,
                        line: QueueListing.line(
                            request, entry: entry, steps: [.s7], detail: "KK \(draft?.kkNumber ?? "-"), diverifikasi \(draft?.verifiedBy ?? "-")"),
                        takenByAnother: entry.takenBy.map { $0 != call.officer.username } ?? false))
            }
            return items
        }
    }
}

/// `kk-sign queue`: verified drafts waiting for the Kepala Dinas' signature (SOP 7).
struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Antrean tanda tangan Kepala Dinas (SOP 7), yang terlama di atas, dengan verifikator dan lama menunggu.")
    @OptionGroup var server: ServerOption

    func run() async throws {
        let items = try await server.client(.sign).call(SigningQueue())
        if items.isEmpty {
            print("Antrean tanda tangan kosong.")
        } else {
            print("\(items.count) KK menunggu tanda tangan elektronik (SOP 7):")
            items.forEach { print($0.line) }
        }
    }
}
