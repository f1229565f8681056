import Crypto
import Hex

/// Meta signs every webhook POST: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256
/// of the raw body with the app secret>`. The gateway refuses anything else;
/// the development tools (`kk-dev sandbox`, `kk-dev simulate`) sign as Meta does.
public enum WebhookSignature {
    public static func isValid(header: String?, body: [UInt8], appSecret: String) -> Bool {
        guard let header, header.hasPrefix("sha256="), let expected = [UInt8](hexEncoded: header.dropFirst(7)), expected.count == 32 else {
            return false
        }
        let key = SymmetricKey(data: Array(appSecret.utf8))
        // Constant-time comparison inside swift-crypto.
        return HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: body, using: key)
    }

    public static func sign(_ body: [UInt8], appSecret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(appSecret.utf8)))
        return "sha256=" + mac.hexEncoded
    }
}
