import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-intake media <no> --out DIR`: the applicant's photos as files, to look at.
struct Media: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Simpan foto/dokumen permohonan sebagai berkas di folder DIR.")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(name: .customLong("out"), help: "Folder tujuan (dibuat bila belum ada).") var directory: String

    func run() async throws {
        let written = try await OfficerCommandRunner.run(
            service: IntakeHandler.name, command: "media", allowed: [.serviceOfficer], requestNumber: number
        ) { _, pool in
            try await pool.withTransaction { tx -> [String] in
                let request = try await RequestStore.load(number: number, in: tx)
                let folder = URL(fileURLWithPath: directory)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                var paths: [String] = []
                for (index, document) in try await RequestDocument.all(of: request.id, in: tx).enumerated() {
                    let bytes = try await tx.query("SELECT bytes FROM media WHERE id = \(document.mediaID)").rows[0].decode("bytes", as: [UInt8]?.self)
                    guard let bytes else { continue }
                    let file = folder.appendingPathComponent(String(format: "%02d-%@.%@", index + 1, document.kind.rawValue, document.fileExtension))
                    try Data(bytes).write(to: file, options: .atomic)
                    paths.append(file.path)
                }
                return paths
            }
        }
        if written.isEmpty {
            print("Permohonan \(number.uppercased()) belum memiliki dokumen.")
        } else {
            written.forEach { print($0) }
        }
    }
}
