import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// A request's archived files, each from a copy whose SHA-256 is right (a
/// read of personal data: audited before the files are answered). The service
/// reads the targets, with no transaction open; the CLI writes what comes back.
struct RestoreArchive: RequestOperation, PrintOfficerOperation {
    static let name = "restore"
    let number: String

    func perform(_ call: OfficerCall) async throws -> [DocumentFile] {
        let settings = try ArchiveSettings.from()
        let items = try await call.pool.withTransaction { tx in
            let request = try await RequestStore.load(number: number, in: tx)
            let items = try await ArchiveRecords.items(of: request.id, in: tx)
            guard !items.isEmpty else { throw CLIFailure("Permohonan \(request.number) belum diarsipkan (status: \(request.state.indonesianName)).") }
            return items
        }
        var files: [DocumentFile] = []
        for (name, sha256) in items {
            var good: [UInt8]?
            for target in settings.targets where good == nil {
                if let bytes = try? await target.read(sha256), ArchiveTargets.digest(bytes) == sha256 { good = bytes }
            }
            guard let bytes = good else {
                throw CLIFailure("Tidak ada salinan baik untuk \(name) (\(sha256.prefix(16))…) di target mana pun; jalankan `kk-archive verify`.")
            }
            files.append(DocumentFile(name: name, contentType: "application/octet-stream", bytes: Data(bytes)))
        }
        return files
    }
}

/// `kk-archive restore <no> --out DIR`: brings a request's archived files back.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Pulihkan berkas arsip satu permohonan ke folder DIR.")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(name: .customLong("out"), help: "Folder tujuan (dibuat bila belum ada).") var directory: String
    @OptionGroup var server: ServerOption

    func run() async throws {
        let files = try await server.client(.archive).call(RestoreArchive(number: number))
        try DocumentFile.write(files, to: directory).forEach { print($0) }
    }
}
