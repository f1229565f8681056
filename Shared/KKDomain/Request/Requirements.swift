/// The documents each reason requires (the SOP's notes), and what is still missing.
public enum Requirements {
    /// The form for every reason; at least one supporting document for a data
    /// change; the police loss report for a lost KK; the old KK for a damaged one.
    public static func required(for reason: RequestReason) -> [DocumentKind] {
        switch reason {
        case .dataChange: [.statementForm, .supportingDocument]
        case .lost: [.statementForm, .policeLossReport]
        case .damaged: [.statementForm, .oldKK]
        }
    }

    /// The required documents not yet received, in the order they are asked for.
    public static func missing(for reason: RequestReason, received: [DocumentKind]) -> [DocumentKind] {
        let have = Set(received)
        return required(for: reason).filter { !have.contains($0) }
    }

    /// Nil when complete; otherwise a message telling the applicant exactly what to send.
    public static func missingMessage(for reason: RequestReason, received: [DocumentKind]) -> String? {
        let missing = missing(for: reason, received: received)
        guard !missing.isEmpty else { return nil }
        let list = missing.enumerated().map { "\($0.offset + 1). \($0.element.applicantInstruction)" }.joined(separator: "\n")
        return "Dokumen permohonan \(reason.indonesianName) Anda belum lengkap. Mohon kirim:\n\(list)"
    }
}
