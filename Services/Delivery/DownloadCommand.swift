import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-deliver download <no> --out FILE` (SOP 8): the signed PDF, as signed.
struct Download: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Unduh KK PDF bertanda tangan elektronik (SOP 8).")
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(name: .customLong("out"), help: "Berkas PDF tujuan.") var file: String

    func run() async throws {
        let (bytes, name) = try await OfficerCommandRunner.run(
            service: DeliveryHandler.name, command: "download", allowed: [.printOfficer], requestNumber: number
        ) { _, pool in
            try await pool.withTransaction { tx -> ([UInt8], String) in
                let request = try await RequestStore.load(number: number, in: tx)
                let rows = try await tx.query(
                    """
                    SELECT m.bytes, m.file_name FROM kk_documents d JOIN media m ON m.id = d.media_id
                    WHERE d.request_id = \(request.id) ORDER BY d.signed_at DESC LIMIT 1
                    """
                ).rows
                guard let row = rows.first, let bytes = try row.decode("bytes", as: [UInt8]?.self) else {
                    throw CLIFailure("Permohonan \(request.number) belum memiliki KK bertanda tangan (status: \(request.state.indonesianName)).")
                }
                return (bytes, try row.decode("file_name", as: String?.self) ?? "KK.pdf")
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: file), options: .atomic)
        print("\(name) (\(bytes.count) byte) disimpan di \(file).")
    }
}
