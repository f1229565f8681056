/// One state per SOP step, and every return path.
public enum RequestState: String, Codable, CaseIterable, Sendable {
    /// The applicant is still sending photos.
    case collectingDocuments = "mengumpulkan_dokumen"
    /// SOP 1 done: a complete request waits for the service officer.
    case submitted = "diajukan"
    /// SOP 2 done: opened by the service officer.
    case opened = "dibuka"
    /// SOP 3 done: the data is entered (never for a lost KK).
    case entered = "dientri"
    /// SOP 4 done: the print request with the draft KK waits for the Kasi/Kabid.
    case printRequested = "permohonan_cetak"
    /// SOP 5-6 done: verified, waits for the Kepala Dinas' signature.
    case verified = "diverifikasi"
    /// SOP 7 done: signed electronically.
    case signed = "ditandatangani"
    /// SOP 8-9 done: the PDF reached the applicant.
    case delivered = "dikirim"
    /// SOP 10 done: archived; the request is closed.
    case archived = "diarsipkan"
    /// "Belum Lengkap": back with the applicant to complete (from SOP 2 or 3).
    case returnedIncomplete = "belum_lengkap"
    /// "Belum Valid": back with the applicant to correct (from SOP 6).
    case returnedInvalid = "belum_valid"
    /// Cancelled by the applicant.
    case cancelled = "dibatalkan"

    public var indonesianName: String {
        switch self {
        case .collectingDocuments: "Mengumpulkan dokumen"
        case .submitted: "Diajukan, menunggu dibuka petugas"
        case .opened: "Dibuka petugas layanan"
        case .entered: "Data sudah dientri"
        case .printRequested: "Permohonan cetak menunggu verifikasi Kasi/Kabid"
        case .verified: "Terverifikasi, menunggu tanda tangan Kepala Dinas"
        case .signed: "Sudah ditandatangani, menunggu dikirim"
        case .delivered: "KK sudah dikirim ke pemohon"
        case .archived: "Selesai dan diarsipkan"
        case .returnedIncomplete: "Belum Lengkap, menunggu kelengkapan dari pemohon"
        case .returnedInvalid: "Belum Valid, menunggu perbaikan dari pemohon"
        case .cancelled: "Dibatalkan"
        }
    }

    public var isTerminal: Bool { self == .archived || self == .cancelled }

    /// The last SOP step completed in this state, if any.
    public var reachedStep: SOPStep? {
        switch self {
        case .collectingDocuments, .cancelled: nil
        case .submitted: .s1
        case .opened, .returnedIncomplete: .s2
        case .entered: .s3
        case .printRequested: .s4
        case .verified, .returnedInvalid: .s6
        case .signed: .s7
        case .delivered: .s9
        case .archived: .s10
        }
    }
}
