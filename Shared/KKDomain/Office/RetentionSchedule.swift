/// How long personal data stays in the service's database (UU 27/2022): the
/// privacy notice tells applicants, and the retention job applies it. The
/// archive keeps its own copies of each closed request under the archive's
/// rules; this schedule is about PostgreSQL.
public struct RetentionSchedule: Sendable, Equatable {
    /// Days after a request is archived or cancelled that its photos and files,
    /// its signed PDF and the applicant's NIK leave PostgreSQL (`KK_RETENTION_DOCUMENT_DAYS`, default 30).
    public var documentDays: Int
    /// Days the text of a WhatsApp message is kept (`KK_RETENTION_CONVERSATION_DAYS`, default 90).
    public var conversationDays: Int

    public init(documentDays: Int = 30, conversationDays: Int = 90) {
        self.documentDays = documentDays
        self.conversationDays = conversationDays
    }

    /// One line per rule, in Indonesian, for the notice and `kk-admin retention`.
    public var indonesianLines: [String] {
        [
            "Foto dan berkas dokumen, PDF KK dan NIK pemohon: dihapus dari sistem layanan \(documentDays) hari setelah permohonan selesai (diarsipkan) atau dibatalkan; arsip resmi menyimpan salinannya.",
            "Isi pesan WhatsApp: dihapus \(conversationDays) hari setelah dikirim.",
        ]
    }
}
