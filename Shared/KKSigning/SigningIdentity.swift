import Crypto
import Foundation
import Hex
import SwiftASN1
@_spi(CMS) import X509
import _CryptoExtras

/// The Kepala Dinas' certificate and private key (and the chain up to the
/// issuing CA), checked before anything is signed: the key must match the
/// certificate and the certificate must be valid now.
public struct SigningIdentity: Sendable {
    public let certificate: Certificate
    public let chain: [Certificate]
    let privateKey: Certificate.PrivateKey

    /// The NIP the certificate carries in its subject's serialNumber (2.5.4.5).
    static let serialNumberOID: ASN1ObjectIdentifier = [2, 5, 4, 5]

    /// Loads PEM texts; `passphrase` opens an encrypted key.
    public init(certificatePEM: String, keyPEM: String, passphrase: String?, chainPEM: String? = nil, now: Date = Date()) throws {
        let certificates: [Certificate]
        do {
            certificates = try PEMDocument.parseMultiple(pemString: certificatePEM).map { try Certificate(pemDocument: $0) }
        } catch {
            throw SigningIdentityError.notPEM(what: "Sertifikat")
        }
        guard let certificate = certificates.first else { throw SigningIdentityError.notPEM(what: "Sertifikat") }
        let key = try Self.privateKey(pem: keyPEM, passphrase: passphrase)
        let subject = certificate.subject.description
        guard key.publicKey == certificate.publicKey else { throw SigningIdentityError.keyDoesNotMatch(subject: subject) }
        guard now <= certificate.notValidAfter else { throw SigningIdentityError.expired(subject: subject, notAfter: certificate.notValidAfter) }
        guard now >= certificate.notValidBefore else {
            throw SigningIdentityError.notYetValid(subject: subject, notBefore: certificate.notValidBefore)
        }
        var chain = Array(certificates.dropFirst())
        if let chainPEM {
            chain += (try? PEMDocument.parseMultiple(pemString: chainPEM).map { try Certificate(pemDocument: $0) }) ?? []
        }
        self.certificate = certificate
        self.chain = chain
        self.privateKey = key
    }

    /// Reads the files configuration names; the passphrase from a file or a variable.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment, now: Date = Date()) throws -> SigningIdentity {
        func read(_ path: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else { throw SigningIdentityError.unreadable(path: path) }
            return String(decoding: data, as: UTF8.self)
        }
        guard let certPath = environment["KK_SIGN_CERT"], let keyPath = environment["KK_SIGN_KEY"] else {
            throw SigningIdentityError.unreadable(path: "(KK_SIGN_CERT dan KK_SIGN_KEY belum diatur; untuk pengembangan: kk-dev keygen)")
        }
        var passphrase = environment["KK_SIGN_KEY_PASSPHRASE"]
        if let file = environment["KK_SIGN_KEY_PASSPHRASE_FILE"] {
            passphrase = try read(file).trimmingCharacters(in: .newlines)
        }
        return try SigningIdentity(
            certificatePEM: try read(certPath), keyPEM: try read(keyPath), passphrase: passphrase,
            chainPEM: try environment["KK_SIGN_CHAIN"].map(read), now: now)
    }

    static func privateKey(pem: String, passphrase: String?) throws -> Certificate.PrivateKey {
        let document: PEMDocument
        do { document = try PEMDocument(pemString: pem) } catch { throw SigningIdentityError.notPEM(what: "Kunci privat") }
        if document.discriminator == "ENCRYPTED PRIVATE KEY" {
            guard let passphrase, !passphrase.isEmpty else { throw SigningIdentityError.passphraseMissing }
            let der = try EncryptedPrivateKey.decrypt(document.derBytes, passphrase: passphrase)
            do {
                return try Certificate.PrivateKey(pemDocument: PEMDocument(type: "PRIVATE KEY", derBytes: der))
            } catch {
                throw SigningIdentityError.wrongPassphrase
            }
        }
        do { return try Certificate.PrivateKey(pemDocument: document) } catch { throw SigningIdentityError.notPEM(what: "Kunci privat") }
    }

    /// The signer's name (the certificate's common name).
    public var signerName: String { Self.attribute(.RDNAttributeType.commonName, of: certificate) ?? certificate.subject.description }

    /// The signer's NIP (the subject's serialNumber), if the certificate carries it.
    public var signerNIP: String? { Self.attribute(Self.serialNumberOID, of: certificate) }

    /// SHA-256 of the certificate's DER, hex.
    public var fingerprint: String { Self.fingerprint(of: certificate) }

    public static func fingerprint(of certificate: Certificate) -> String {
        var serializer = DER.Serializer()
        try? serializer.serialize(certificate)
        return SHA256.hash(data: serializer.serializedBytes).hexEncoded
    }

    static func attribute(_ oid: ASN1ObjectIdentifier, of certificate: Certificate) -> String? {
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == oid {
                return String(attribute.value) ?? String(describing: attribute.value)
            }
        }
        return nil
    }

    /// A detached CMS (PKCS#7) signature over `bytes`, with the signing time
    /// as a signed attribute and the chain included.
    public func cmsSignature(_ bytes: [UInt8], at time: Date) throws -> [UInt8] {
        try CMS.sign(
            bytes, signatureAlgorithm: .sha256WithRSAEncryption, additionalIntermediateCertificates: chain, certificate: certificate,
            privateKey: privateKey, signingTime: time, detached: true)
    }
}
