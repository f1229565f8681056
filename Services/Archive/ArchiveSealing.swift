import Crypto
import Foundation
import KKConfiguration

/// Archive copies are encrypted at rest: AES-256-GCM under a key derived
/// (HKDF-SHA256) from the secret in `KK_ARCHIVE_KEY_FILE`, bound to the
/// file's SHA-256 (its name on every target), so a copy cannot be read
/// without the key nor swapped for another file unnoticed. A stored copy is
/// `KKARSIP1`, the 12-byte nonce, the ciphertext and the 16-byte tag.
struct ArchiveSealing: Sendable {
    static let keyFileVariable = "KK_ARCHIVE_KEY_FILE"
    static let magic = Array("KKARSIP1".utf8)
    /// The derived key's bytes (SymmetricKey itself is not Sendable).
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    init(secret: String) {
        keyBytes = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(secret.utf8)), info: Array("kk-archive-copies-v1".utf8), outputByteCount: 32
        ).withUnsafeBytes { Array($0) }
    }

    /// The sealing of this service: the secret file must exist and hold at least 32 characters.
    static func from(_ environment: [String: String]) throws -> ArchiveSealing {
        guard let path = environment[keyFileVariable], !path.isEmpty else {
            throw ConfigurationError.missing(variable: keyFileVariable, example: "/run/secrets/kk_archive_key (at least 32 random characters)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError.invalid(variable: keyFileVariable, value: path, expected: "a readable file holding the key")
        }
        let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try SecretValue.check(secret, variable: keyFileVariable, minimumLength: 32)
        return ArchiveSealing(secret: secret)
    }

    func seal(_ plain: [UInt8], sha256: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(plain, using: key, authenticating: Array(sha256.utf8))
        guard let combined = box.combined else { throw ArchiveError.configuration("AES-GCM gave no combined form") }
        return Self.magic + Array(combined)
    }

    /// The plaintext of a stored copy. A copy written before encryption (no
    /// `KKARSIP1` header) is returned as it is; callers check every copy's
    /// SHA-256 either way.
    func open(_ stored: [UInt8], sha256: String, target: String) throws -> [UInt8] {
        guard stored.starts(with: Self.magic) else { return stored }
        do {
            let box = try AES.GCM.SealedBox(combined: stored.dropFirst(Self.magic.count))
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(sha256.utf8)))
        } catch {
            throw ArchiveError.unreadable(target, sha256)
        }
    }
}
