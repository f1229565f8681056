import Foundation
import KKDomain

/// The `media <no> --out DIR` command every officer CLI has: the applicant's
/// documents as files, printed one path per line.
public enum MediaExport {
    public static func run(service: String, allowed: Set<Role>, number: String, directory: String) async throws {
        let written = try await OfficerCommandRunner.run(service: service, command: "media", allowed: allowed, requestNumber: number) { _, pool in
            try await pool.withTransaction { tx in
                let request = try await RequestStore.load(number: number, in: tx)
                return try await RequestDocument.export(request.id, to: directory, in: tx)
            }
        }
        print(written, number: number)
    }

    /// One path per line, or that the request has no document yet.
    public static func print(_ written: [String], number: String) {
        if written.isEmpty {
            Swift.print("Permohonan \(number.uppercased()) belum memiliki dokumen.")
        } else {
            written.forEach { Swift.print($0) }
        }
    }
}
