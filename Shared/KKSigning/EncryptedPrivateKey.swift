import Crypto
import Foundation
import SwiftASN1
import _CryptoExtras

/// PKCS#8 "ENCRYPTED PRIVATE KEY" with PBES2 (PBKDF2 with HMAC-SHA256,
/// AES-256-CBC): what `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes and what
/// `kk-dev keygen` writes, so a key never lies on disk in clear.
public enum EncryptedPrivateKey {
    static let pbes2: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 5, 13]
    static let pbkdf2: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 5, 12]
    static let hmacSHA256: ASN1ObjectIdentifier = [1, 2, 840, 113549, 2, 9]
    static let hmacSHA1: ASN1ObjectIdentifier = [1, 2, 840, 113549, 2, 7]
    static let aes256CBC: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 1, 42]

    /// Decrypts the DER of an EncryptedPrivateKeyInfo into the DER of a PrivateKeyInfo.
    public static func decrypt(_ der: [UInt8], passphrase: String) throws -> [UInt8] {
        var salt: [UInt8] = []
        var rounds = 0
        var iv: [UInt8] = []
        var sha256 = false
        var ciphertext: [UInt8] = []
        let root = try DER.parse(der)
        try DER.sequence(root, identifier: .sequence) { nodes in
            guard let algorithm = nodes.next(), let data = nodes.next() else { throw SigningIdentityError.unsupportedKeyEncryption("truncated") }
            ciphertext = Array(try ASN1OctetString(derEncoded: data).bytes)
            try DER.sequence(algorithm, identifier: .sequence) { alg in
                guard try ASN1ObjectIdentifier(derEncoded: &alg) == pbes2, let parameters = alg.next() else {
                    throw SigningIdentityError.unsupportedKeyEncryption("not PBES2")
                }
                try DER.sequence(parameters, identifier: .sequence) { p in
                    guard let kdf = p.next(), let scheme = p.next() else { throw SigningIdentityError.unsupportedKeyEncryption("PBES2 parameters") }
                    try DER.sequence(kdf, identifier: .sequence) { k in
                        guard try ASN1ObjectIdentifier(derEncoded: &k) == pbkdf2, let kp = k.next() else {
                            throw SigningIdentityError.unsupportedKeyEncryption("key derivation is not PBKDF2")
                        }
                        try DER.sequence(kp, identifier: .sequence) { q in
                            salt = Array(try ASN1OctetString(derEncoded: &q).bytes)
                            rounds = try Int(derEncoded: &q)
                            while let next = q.next() {
                                if next.identifier == .integer { continue }  // optional key length
                                try DER.sequence(next, identifier: .sequence) { prf in
                                    let oid = try ASN1ObjectIdentifier(derEncoded: &prf)
                                    guard oid == hmacSHA256 || oid == hmacSHA1 else {
                                        throw SigningIdentityError.unsupportedKeyEncryption("PBKDF2 with \(oid)")
                                    }
                                    sha256 = oid == hmacSHA256
                                    _ = prf.next()
                                }
                            }
                        }
                    }
                    try DER.sequence(scheme, identifier: .sequence) { s in
                        guard try ASN1ObjectIdentifier(derEncoded: &s) == aes256CBC else {
                            throw SigningIdentityError.unsupportedKeyEncryption("cipher is not AES-256-CBC")
                        }
                        iv = Array(try ASN1OctetString(derEncoded: &s).bytes)
                    }
                }
            }
        }
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(passphrase.utf8), salt: salt, using: sha256 ? .sha256 : .insecureSHA1, outputByteCount: 32, unsafeUncheckedRounds: rounds)
        // A wrong passphrase almost always breaks the padding; the rare one that
        // does not still fails to yield a DER sequence.
        guard let clear = try? Array(AES._CBC.decrypt(ciphertext, using: key, iv: try AES._CBC.IV(ivBytes: iv))),
            clear.first == 0x30, (try? DER.parse(clear)) != nil
        else { throw SigningIdentityError.wrongPassphrase }
        return clear
    }

    /// Encrypts the DER of a PrivateKeyInfo with `passphrase`.
    public static func encrypt(_ privateKeyInfo: [UInt8], passphrase: String, rounds: Int = 310_000) throws -> [UInt8] {
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let iv = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(passphrase.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds)
        let ciphertext = Array(try AES._CBC.encrypt(privateKeyInfo, using: key, iv: try AES._CBC.IV(ivBytes: iv)))
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { outer in
            try outer.appendConstructedNode(identifier: .sequence) { algorithm in
                try algorithm.serialize(pbes2)
                try algorithm.appendConstructedNode(identifier: .sequence) { parameters in
                    try parameters.appendConstructedNode(identifier: .sequence) { kdf in
                        try kdf.serialize(pbkdf2)
                        try kdf.appendConstructedNode(identifier: .sequence) { p in
                            try p.serialize(ASN1OctetString(contentBytes: salt[...]))
                            try p.serialize(rounds)
                            try p.appendConstructedNode(identifier: .sequence) { prf in
                                try prf.serialize(hmacSHA256)
                                try prf.serialize(ASN1Null())
                            }
                        }
                    }
                    try parameters.appendConstructedNode(identifier: .sequence) { scheme in
                        try scheme.serialize(aes256CBC)
                        try scheme.serialize(ASN1OctetString(contentBytes: iv[...]))
                    }
                }
            }
            try outer.serialize(ASN1OctetString(contentBytes: ciphertext[...]))
        }
        return serializer.serializedBytes
    }
}
