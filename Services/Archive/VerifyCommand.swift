import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import Postgres

/// Reads every copy on every target, reports the damaged and missing ones,
/// and repairs each from a good copy. The targets are read and written with no
/// transaction open; one short transaction at the end records the repairs.
struct VerifyArchive: PrintOfficerOperation {
    static let name = "verify"

    struct Report: Codable, Sendable {
        let lines: [String]
        /// Copies that could not be repaired plus files with no good copy anywhere.
        let unrepaired: Int
    }

    func perform(_ call: OfficerCall) async throws -> Report {
        let settings = try ArchiveSettings.from()
        let digests = try await call.pool.withTransaction { try await ArchiveRecords.allDigests(in: $0) }
        var lines: [String] = []
        var good = 0
        var repaired: [(sha256: String, target: String, at: Date)] = []
        var lost = 0
        for sha256 in digests {
            var healthy: [UInt8]?
            var broken: [(any ArchiveTarget, String)] = []
            for target in settings.targets {
                do {
                    let bytes = try await target.read(sha256)
                    if ArchiveTargets.digest(bytes) == sha256 {
                        healthy = healthy ?? bytes
                        good += 1
                    } else {
                        broken.append((target, "RUSAK"))
                    }
                } catch ArchiveError.unreadable {
                    broken.append((target, "RUSAK"))
                } catch {
                    broken.append((target, "HILANG"))
                }
            }
            for (target, what) in broken {
                guard let healthy else { continue }
                do {
                    try await target.store(healthy, sha256: sha256)
                    repaired.append((sha256, target.name, Date()))
                    lines.append("\(what)  \(target.name)  \(sha256.prefix(16))…  diperbaiki dari salinan yang baik")
                } catch {
                    lines.append("\(what)  \(target.name)  \(sha256.prefix(16))…  TIDAK dapat diperbaiki: \(error)")
                }
            }
            if healthy == nil {
                lost += 1
                lines.append("HILANG DI SEMUA TARGET  \(sha256.prefix(16))…  pulihkan dari cadangan lain")
            }
        }
        lines.append("Selesai: \(digests.count) berkas, \(good) salinan baik, \(repaired.count) diperbaiki, \(lost) tanpa salinan baik.")
        let unrepaired = lines.filter { $0.contains("TIDAK dapat diperbaiki") }.count + lost
        let recorded = repaired
        try await call.transaction { tx in
            for copy in recorded { try await ArchiveRecords.recordCopy(sha256: copy.sha256, target: copy.target, verifiedAt: copy.at, in: tx) }
        }
        return Report(lines: lines, unrepaired: unrepaired)
    }
}

/// `kk-archive verify`: exit status 1 when anything is left unrepaired.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Periksa semua salinan arsip; laporkan yang rusak/hilang dan perbaiki dari salinan yang baik.")
    @OptionGroup var server: ServerOption

    func run() async throws {
        let report = try await server.client(.archive).call(VerifyArchive())
        report.lines.forEach { print($0) }
        if report.unrepaired > 0 { throw ExitCode(1) }
    }
}
