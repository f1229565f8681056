/// The photos an applicant sends with a request.
public enum DocumentKind: String, Codable, CaseIterable, Sendable {
    /// The filled form "Surat Pernyataan Perubahan Elemen Data Kependudukan".
    case statementForm = "surat_pernyataan"
    /// A supporting document for a data change whose event was not named
    /// (requests from before events were asked for).
    case supportingDocument = "dokumen_pendukung"
    // The supporting documents of each data-change event (`ChangeEvent`).
    case birthProof = "bukti_kelahiran"
    case deathProof = "bukti_kematian"
    case marriageProof = "bukti_perkawinan"
    case divorceProof = "bukti_perceraian"
    case movingCertificate = "skpwni"
    case diploma = "ijazah"
    case employmentProof = "bukti_pekerjaan"
    case religionStatement = "bukti_perubahan_agama"
    case courtRuling = "penetapan_pengadilan"
    case correctionProof = "bukti_koreksi"
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
        case .birthProof: "Surat Keterangan Lahir atau Kutipan Akta Kelahiran"
        case .deathProof: "Surat Keterangan Kematian atau Kutipan Akta Kematian"
        case .marriageProof: "Buku Nikah atau Kutipan Akta Perkawinan"
        case .divorceProof: "Akta Cerai atau Kutipan Akta Perceraian"
        case .movingCertificate: "Surat Keterangan Pindah WNI (SKPWNI)"
        case .diploma: "Ijazah terakhir"
        case .employmentProof: "Surat keterangan kerja atau SK pengangkatan"
        case .religionStatement: "Surat pernyataan perubahan agama atau surat keterangan pemuka agama"
        case .courtRuling: "Salinan penetapan pengadilan tentang perubahan nama"
        case .correctionProof: "Dokumen resmi yang menjadi dasar koreksi"
        }
    }

    /// Documents that usually run to several pages: their photos are kept as
    /// pages of one document until the applicant says it is complete.
    public var mayHaveSeveralPages: Bool {
        switch self {
        case .marriageProof, .divorceProof, .movingCertificate, .courtRuling, .correctionProof: true
        default: false
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
        case .birthProof:
            "foto Surat Keterangan Lahir dari rumah sakit, bidan, atau kelurahan/desa (atau Kutipan Akta Kelahiran bila sudah ada)"
        case .deathProof:
            "foto Surat Keterangan Kematian dari rumah sakit atau kelurahan/desa (atau Kutipan Akta Kematian)"
        case .marriageProof:
            "foto Buku Nikah (halaman identitas suami, istri, dan pengesahan) atau Kutipan Akta Perkawinan"
        case .divorceProof:
            "foto Akta Cerai dari Pengadilan Agama atau Kutipan Akta Perceraian"
        case .movingCertificate:
            "foto Surat Keterangan Pindah WNI (SKPWNI), semua halaman"
        case .diploma:
            "foto ijazah terakhir anggota keluarga yang pendidikannya berubah"
        case .employmentProof:
            "foto surat keterangan kerja atau SK pengangkatan dari tempat kerja"
        case .religionStatement:
            "foto surat pernyataan perubahan agama (bermeterai) atau surat keterangan dari pemuka agama"
        case .courtRuling:
            "foto salinan penetapan pengadilan negeri tentang perubahan nama, semua halaman"
        case .correctionProof:
            "foto dokumen resmi yang menunjukkan data yang benar (akta, ijazah, atau buku nikah)"
        }
    }
}
