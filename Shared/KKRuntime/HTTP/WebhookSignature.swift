import Crypto
import Foundation
import Hex

/// Meta signs every webhook POST: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256
/// of the raw body with the app secret>`. Anything else is refused.
enum WebhookSignature {
    static func isValid(header: String?, body: [UInt8], appSecret: String) -> Bool {
        guard let header, header.hasPrefix("sha256="), let expected = hexBytes(String(header.dropFirst(7))), expected.count == 32 else {
            return false
        }
        let key = SymmetricKey(data: Array(appSecret.utf8))
        // Constant-time comparison inside swift-crypto.
        return HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: body, using: key)
    }

    static func sign(_ body: [UInt8], appSecret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(appSecret.utf8)))
        return "sha256=" + mac.hexEncoded
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let h = hex(chars[i]), let l = hex(chars[i + 1]) else { return nil }
            bytes.append(h << 4 | l)
            i += 2
        }
        return bytes
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }
}
