/// Every arrow of the SOP: what an actor may do to a request.
public enum RequestAction: String, Codable, CaseIterable, Sendable {
    /// SOP 1: the complete request is handed in (by the applicant, or by intake on their behalf).
    case submit = "ajukan"
    /// SOP 2: the service officer opens it.
    case open = "buka"
    /// SOP 2-3: "Belum Lengkap", back to the applicant to complete.
    case returnIncomplete = "kembalikan_belum_lengkap"
    /// SOP 3: the data change is entered (again, to amend).
    case enter = "entri"
    /// SOP 4: the print request with the draft KK goes to the Kasi/Kabid.
    case submitPrintRequest = "ajukan_cetak"
    /// SOP 5-6: verified valid, forwarded for signature.
    case verify = "verifikasi"
    /// SOP 6: "Belum Valid", back to the applicant to correct.
    case rejectInvalid = "tolak_belum_valid"
    /// SOP 7: signed electronically by the Kepala Dinas.
    case sign = "tandatangani"
    /// SOP 8-9: the PDF reached the applicant.
    case deliver = "kirim"
    /// SOP 10: archived.
    case archive = "arsipkan"
    /// After a return: the applicant completed or corrected the request.
    case resubmit = "ajukan_ulang"
    /// The applicant withdraws the request.
    case cancel = "batalkan"

    public var indonesianName: String {
        switch self {
        case .submit: "mengajukan permohonan"
        case .open: "membuka permohonan"
        case .returnIncomplete: "mengembalikan (Belum Lengkap)"
        case .enter: "mengentri data"
        case .submitPrintRequest: "mengajukan permohonan cetak"
        case .verify: "memverifikasi"
        case .rejectInvalid: "menolak (Belum Valid)"
        case .sign: "menandatangani (TTE)"
        case .deliver: "mengirim KK"
        case .archive: "mengarsipkan"
        case .resubmit: "mengajukan ulang"
        case .cancel: "membatalkan"
        }
    }

    /// The SOP step this action completes (used to measure against the time standards).
    public var completesStep: SOPStep? {
        switch self {
        case .submit, .resubmit: .s1
        case .open, .returnIncomplete: .s2
        case .enter: .s3
        case .submitPrintRequest: .s4
        case .verify, .rejectInvalid: .s6
        case .sign: .s7
        case .deliver: .s8
        case .archive: .s10
        case .cancel: nil
        }
    }
}
