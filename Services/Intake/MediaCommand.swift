import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// The applicant's documents of a request, to look at (a read of personal data: audited).
struct IntakeMedia: OfficerOperation {
    static let name = "media"
    static let allowed: Set<Role> = [.serviceOfficer]
    let number: String
    var requestNumber: String? { number }

    func perform(_ call: OfficerCall) async throws -> [DocumentFile] {
        try await call.transaction { tx in
            try await DocumentFile.all(of: try await RequestStore.load(number: number, in: tx).id, in: tx)
        }
    }
}

/// `kk-intake media <no> --out DIR`: the applicant's photos as files, to look at.
struct Media: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Simpan foto/dokumen permohonan sebagai berkas di folder DIR.")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(name: .customLong("out"), help: "Folder tujuan (dibuat bila belum ada).") var directory: String
    @OptionGroup var server: ServerOption

    func run() async throws {
        let files = try await server.client(.intake).call(IntakeMedia(number: number))
        MediaExport.print(try DocumentFile.write(files, to: directory), number: number)
    }
}
