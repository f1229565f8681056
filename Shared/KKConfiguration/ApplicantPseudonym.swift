import Crypto
import Foundation
import Hex
import Synchronization

/// The pseudonymous applicant id (`wa-` and 16 hex digits) that stands for a
/// WhatsApp number in the event log, the audit and the metrics: an HMAC-SHA256
/// of the number under the office's secret key (`KK_PSEUDONYM_KEY_FILE`), so
/// nobody without the key can find a number from its id by trying them all.
///
/// A new key gives every applicant a new id: set on a database that already
/// has applicants, or replacing a key that leaked, it must be followed by
/// `kk-admin rekey-applicants` (`ApplicantRekeying`), or their earlier requests
/// would no longer be found by their number.
public enum ApplicantPseudonym {
    public static let keyFileVariable = "KK_PSEUDONYM_KEY_FILE"
    public static let minimumKeyLength = 32

    /// The key's bytes once configured (SymmetricKey itself is not Sendable).
    private static let loaded = Mutex<[UInt8]?>(nil)

    /// Reads and checks the key; a service that pseudonymizes applicants calls
    /// it at start-up so it refuses to start without a usable key.
    @discardableResult
    public static func configure(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> SymmetricKey {
        guard let path = environment[keyFileVariable], !path.isEmpty else {
            throw .missing(variable: keyFileVariable, example: "/run/secrets/kk_pseudonym_key (at least \(minimumKeyLength) random characters)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalid(variable: keyFileVariable, value: path, expected: "a readable file holding the key")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try SecretValue.check(text, variable: keyFileVariable, minimumLength: minimumKeyLength)
        let bytes = Array(text.utf8)
        loaded.withLock { $0 = bytes }
        return SymmetricKey(data: bytes)
    }

    /// The applicant id of `phone` under the configured key.
    public static func ref(for phone: String) -> String {
        let key: SymmetricKey
        if let configured = loaded.withLock({ $0 }) {
            key = SymmetricKey(data: configured)
        } else {
            do { key = try configure() } catch {
                preconditionFailure("\(error.description) (the service must call ApplicantPseudonym.configure() at start-up)")
            }
        }
        return ref(for: phone, key: key)
    }

    public static func ref(for phone: String, key: SymmetricKey) -> String {
        "wa-" + HMAC<SHA256>.authenticationCode(for: Array(phone.utf8), using: key).prefix(8).hexEncoded
    }
}
