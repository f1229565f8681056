import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-archive restore <no> --out DIR`: brings a request's archived files
/// back, each from a copy whose SHA-256 is right.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Pulihkan berkas arsip satu permohonan ke folder DIR.")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(name: .customLong("out"), help: "Folder tujuan (dibuat bila belum ada).") var directory: String

    func run() async throws {
        let settings = try ArchiveSettings.from()
        let written = try await OfficerCommandRunner.run(
            service: RequestArchiver.name, command: "restore", allowed: [.printOfficer], requestNumber: number
        ) { _, pool in
            try await pool.withTransaction { tx -> [String] in
                let request = try await RequestStore.load(number: number, in: tx)
                let items = try await tx.query("SELECT name, sha256 FROM archive_items WHERE request_id = \(request.id) ORDER BY name").rows
                guard !items.isEmpty else { throw CLIFailure("Permohonan \(request.number) belum diarsipkan (status: \(request.state.indonesianName)).") }
                var written: [String] = []
                for item in items {
                    let name = try item.decode("name", as: String.self)
                    let sha256 = try item.decode("sha256", as: String.self)
                    var good: [UInt8]?
                    for target in settings.targets where good == nil {
                        if let bytes = try? await target.read(sha256), ArchiveTargets.digest(bytes) == sha256 { good = bytes }
                    }
                    guard let bytes = good else {
                        throw CLIFailure("Tidak ada salinan baik untuk \(name) (\(sha256.prefix(16))…) di target mana pun; jalankan `kk-archive verify`.")
                    }
                    let file = URL(fileURLWithPath: directory).appendingPathComponent(name)
                    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(bytes).write(to: file, options: .atomic)
                    written.append(file.path)
                }
                return written
            }
        }
        written.forEach { print($0) }
    }
}
