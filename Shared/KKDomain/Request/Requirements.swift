/// The documents each reason requires (the SOP's notes), and what is still missing.
public enum Requirements {
    /// The form for every reason; for a data change, the documents of its
    /// event (`ChangeEvent.supportingDocuments`), or one generic supporting
    /// document when no event was named (requests from before events were
    /// asked for); the police loss report for a lost KK; the old KK for a
    /// damaged one.
    public static func required(for reason: RequestReason, event: ChangeEvent? = nil) -> [DocumentKind] {
        switch reason {
        case .dataChange: [.statementForm] + (event?.supportingDocuments ?? [.supportingDocument])
        case .lost: [.statementForm, .policeLossReport]
        case .damaged: [.statementForm, .oldKK]
        }
    }

    /// The required documents not yet received, in the order they are asked for.
    public static func missing(for reason: RequestReason, event: ChangeEvent? = nil, received: [DocumentKind]) -> [DocumentKind] {
        let have = Set(received)
        return required(for: reason, event: event).filter { !have.contains($0) }
    }

    /// Nil when complete; otherwise a message telling the applicant exactly what to send.
    public static func missingMessage(for reason: RequestReason, event: ChangeEvent? = nil, received: [DocumentKind]) -> String? {
        let missing = missing(for: reason, event: event, received: received)
        guard !missing.isEmpty else { return nil }
        let list = missing.enumerated().map { "\($0.offset + 1). \($0.element.applicantInstruction)" }.joined(separator: "\n")
        return "Dokumen permohonan \(reason.indonesianName) Anda belum lengkap. Mohon kirim:\n\(list)"
    }
}
