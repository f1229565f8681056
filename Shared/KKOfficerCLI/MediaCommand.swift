import ArgumentParser
import Foundation
import KKStore

/// `media <no> --out DIR`, the same in every officer CLI: the applicant's
/// documents from the service, written as files, one path printed per line.
public struct MediaCommand<CLI: OfficerCLI>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "media", abstract: "Simpan foto/dokumen permohonan sebagai berkas di folder DIR.")
    }
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(name: .customLong("out"), help: "Folder tujuan (dibuat bila belum ada).") var directory: String
    @OptionGroup var server: ServerOption

    public init() {}

    public func run() async throws {
        let files = try await server.client(CLI.service).call(RequestMedia<CLI>(number: number))
        let written = try DocumentFile.write(files, to: directory)
        if written.isEmpty {
            print("Permohonan \(number.uppercased()) belum memiliki dokumen.")
        } else {
            written.forEach { print($0) }
        }
    }
}
