/// The photos an applicant sends with a request.
public enum DocumentKind: String, Codable, CaseIterable, Sendable {
    /// The filled form "Surat Pernyataan Perubahan Elemen Data Kependudukan".
    case statementForm = "surat_pernyataan"
    /// A supporting document for a data change (birth certificate, marriage book, moving letter, ...).
    case supportingDocument = "dokumen_pendukung"
    /// "Surat Keterangan Hilang dari Kepolisian", for a lost KK.
    case policeLossReport = "surat_kehilangan_polisi"
    /// The old KK, for a damaged one.
    case oldKK = "kk_lama"

    public var indonesianName: String {
        switch self {
        case .statementForm: "Surat Pernyataan Perubahan Elemen Data Kependudukan"
        case .supportingDocument: "Dokumen pendukung perubahan data"
        case .policeLossReport: "Surat Keterangan Hilang dari Kepolisian"
        case .oldKK: "KK lama (yang rusak)"
        }
    }

    /// What to photograph and send, in words an applicant understands.
    public var applicantInstruction: String {
        switch self {
        case .statementForm:
            "foto formulir Surat Pernyataan Perubahan Elemen Data Kependudukan yang sudah diisi dan ditandatangani"
        case .supportingDocument:
            "foto dokumen pendukung perubahan data (misalnya akta kelahiran, akta kematian, buku nikah, atau surat pindah)"
        case .policeLossReport:
            "foto Surat Keterangan Hilang dari Kepolisian"
        case .oldKK:
            "foto KK lama yang rusak (seluruh halaman terlihat)"
        }
    }
}
