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
        try await MediaExport.run(service: IntakeHandler.name, allowed: [.serviceOfficer], number: number, directory: directory)
    }
}
