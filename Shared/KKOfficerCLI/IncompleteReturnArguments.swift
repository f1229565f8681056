import ArgumentParser
import KKDomain

/// `<no> --missing ... --reason ...` of every "Belum Lengkap" command
/// (`kk-intake return`, `kk-entry return`), checked before anything is sent.
public struct IncompleteReturnArguments: ParsableArguments {
    @Argument(help: "Nomor permohonan.") public var number: String
    @Option(
        parsing: .upToNextOption,
        help: "Dokumen yang harus dikirim ulang: \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")) (boleh dipisah koma).")
    public var missing: [String] = []
    @Option(help: "Alasan untuk pemohon, dengan kata-kata yang jelas.") public var reason: String

    public init() {}

    public func validate() throws {
        try ReturnToApplicant.checkReason(reason)
        guard !missing.isEmpty else {
            throw ValidationError("--missing wajib: sebutkan dokumen yang harus dikirim ulang, misalnya --missing surat_pernyataan.")
        }
    }

    /// The documents named, a typo refused before anything is sent.
    public func documentKinds() throws -> [DocumentKind] { try ReturnToApplicant.documentKinds(missing) }

    /// What the officer is told once the service has returned the request.
    public var done: String {
        "Permohonan \(number.uppercased()) dikembalikan: Belum Lengkap. Pemohon akan menerima alasan dan daftar dokumen lewat WhatsApp."
    }
}

extension ReturnToApplicant {
    /// The service's own check of a "Belum Lengkap" return, whatever the caller sent.
    public static func incompleteKinds(_ missing: [String], reason: String) throws -> [DocumentKind] {
        try checkReason(reason)
        let kinds = try documentKinds(missing)
        guard !kinds.isEmpty else { throw CLIFailure("Sebutkan dokumen yang harus dikirim ulang, misalnya --missing surat_pernyataan.") }
        return kinds
    }
}
