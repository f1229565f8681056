import Foundation

/// Why the Kepala Dinas' certificate and key cannot sign; signing stops with
/// one of these, in Indonesian, saying what to do.
public enum SigningIdentityError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case notPEM(what: String)
    case keyDoesNotMatch(subject: String)
    case expired(subject: String, notAfter: Date)
    case notYetValid(subject: String, notBefore: Date)
    case passphraseMissing
    case wrongPassphrase
    case unsupportedKeyEncryption(String)

    public var description: String {
        switch self {
        case let .unreadable(path):
            "Berkas '\(path)' tidak dapat dibaca; periksa KK_SIGN_CERT / KK_SIGN_KEY dan hak akses berkasnya."
        case let .notPEM(what):
            "\(what) bukan berkas PEM yang dikenali (harus BEGIN CERTIFICATE / BEGIN PRIVATE KEY / BEGIN ENCRYPTED PRIVATE KEY)."
        case let .keyDoesNotMatch(subject):
            "Kunci privat tidak cocok dengan sertifikat \(subject); penandatanganan dihentikan. Pasang pasangan kunci dan sertifikat yang benar."
        case let .expired(subject, notAfter):
            "Sertifikat \(subject) sudah kedaluwarsa sejak \(notAfter); penandatanganan dihentikan. Minta sertifikat baru ke penerbit (BSrE)."
        case let .notYetValid(subject, notBefore):
            "Sertifikat \(subject) baru berlaku mulai \(notBefore); penandatanganan dihentikan. Periksa jam server atau sertifikatnya."
        case .passphraseMissing:
            "Kunci privat terenkripsi; berikan frasa sandinya lewat KK_SIGN_KEY_PASSPHRASE_FILE atau KK_SIGN_KEY_PASSPHRASE (tidak pernah lewat baris perintah)."
        case .wrongPassphrase:
            "Frasa sandi kunci privat salah; kunci tidak dapat dibuka."
        case let .unsupportedKeyEncryption(detail):
            "Enkripsi kunci privat tidak didukung (\(detail)); gunakan PKCS#8 PBES2 AES-256-CBC (openssl pkcs8 -topk8 -v2 aes-256-cbc)."
        }
    }
}
