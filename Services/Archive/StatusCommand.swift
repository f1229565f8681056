import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import Postgres

/// Each target's health and use, and what waits for a target, as the service sees them.
struct ArchiveStatus: PrintOfficerOperation {
    static let name = "status"

    func perform(_ call: OfficerCall) async throws -> [String] {
        let settings = try ArchiveSettings.from()
        return try await call.transaction { tx -> [String] in
            var lines = ["Target arsip (\(settings.targets.count)); salinan wajib per berkas: \(settings.requiredCopies)"]
            for target in settings.targets {
                let copies = try await tx.query(
                    "SELECT count(*)::bigint AS n FROM archive_copies WHERE target = \(target.name)"
                ).rows[0].decode("n", as: Int64.self)
                let used = await target.bytesUsed()
                let free = (target as? FolderTarget).flatMap {
                    (try? FileManager.default.attributesOfFileSystem(forPath: $0.root.path)[.systemFreeSize]) as? Int64
                }
                let health = await target.isWritable() ? "SEHAT" : "TIDAK DAPAT DITULIS"
                lines.append(
                    "  \(target.name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(health)  \(target.location)  \(copies) salinan"
                        + (used.map { ", \($0 / 1024) KB terpakai" } ?? "")
                        + (free.map { ", \($0 / 1_048_576) MB bebas" } ?? ""))
            }
            let pending = try await tx.query(
                "SELECT r.number, p.attempts, p.last_error FROM archive_pending p JOIN requests r ON r.id = p.request_id ORDER BY p.check_at"
            ).rows
            lines.append("Menunggu diarsipkan: \(pending.count)")
            for row in pending {
                lines.append(
                    "  \(try row.decode("number", as: String.self))  percobaan \(try row.decode("attempts", as: Int32.self))  \(try row.decode("last_error", as: String?.self) ?? "")"
                )
            }
            return lines
        }
    }
}

/// `kk-archive status`: each target's health and use, and what waits for a target.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Kesehatan dan pemakaian setiap target arsip, dan permohonan yang menunggu.")
    @OptionGroup var server: ServerOption

    func run() async throws {
        try await server.client(.archive).call(ArchiveStatus()).forEach { print($0) }
    }
}
