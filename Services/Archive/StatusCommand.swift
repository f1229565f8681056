import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import Postgres

/// Each target's health and use, and what waits for a target, as the service sees them
/// (the counts from one short transaction, the targets looked at with none open).
struct ArchiveStatus: PrintOfficerOperation {
    static let name = "status"

    func perform(_ call: OfficerCall) async throws -> [String] {
        let settings = try ArchiveSettings.from()
        let names = settings.targets.map(\.name)
        let (copyCounts, pending) = try await call.pool.withTransaction { tx in
            var counts: [String: Int64] = [:]
            for name in names { counts[name] = try await ArchiveRecords.copyCount(on: name, in: tx) }
            return (counts, try await ArchiveRecords.waiting(in: tx))
        }
        var lines = ["Target arsip (\(settings.targets.count)); salinan wajib per berkas: \(settings.requiredCopies)"]
        for target in settings.targets {
            let copies = copyCounts[target.name] ?? 0
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
        lines.append("Menunggu diarsipkan: \(pending.count)")
        for waiting in pending {
            lines.append("  \(waiting.number)  percobaan \(waiting.attempts)  \(waiting.lastError ?? "")")
        }
        return lines
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
